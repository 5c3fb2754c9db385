using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests;

public sealed class DiagnosticsTests
{
    [Fact]
    public async Task Execution_JobsRun_MeterCountsAndActivityPerAttempt()
    {
        var type = "diag-" + Guid.NewGuid().ToString("N")[..8];
        var measurements = new ConcurrentBag<(string Instrument, double Value)>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Jobs")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "job.type" && (string?)tag.Value == type)
                {
                    measurements.Add((instrument.Name, value));
                }
            }
        }

        meterListener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meterListener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meterListener.Start();
        var activities = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Jobs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if ((string?)a.GetTagItem("job.type") == type)
                {
                    activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);

        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync("sqlite"), b => b.AddJobType(type, ctx =>
            ctx.Attempt == 1 ? throw new InvalidOperationException("first fails") : Task.CompletedTask, t => t.Backoff.BaseDelay = TimeSpan.Zero));
        var job = await jobs.Client.ScheduleAsync(type);
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.Equal(2, measurements.Count(m => m.Instrument == "jobs.started"));
        Assert.Equal(1, measurements.Count(m => m.Instrument == "jobs.retried"));
        Assert.Equal(1, measurements.Count(m => m.Instrument == "jobs.succeeded"));
        Assert.Equal(2, measurements.Count(m => m.Instrument == "jobs.duration")); // Every attempt, tagged with how it ended.
        var attempts = activities.Where(a => a.Kind == ActivityKind.Consumer).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Contains(attempts, a => a.Status == ActivityStatusCode.Error);
        Assert.Contains(attempts, a => a.Status == ActivityStatusCode.Ok);
        Assert.Single(activities, a => a.Kind == ActivityKind.Producer); // job.schedule
    }
}
