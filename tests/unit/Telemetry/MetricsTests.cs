using Jobs.Diagnostics;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using static Jobs.Tests.Infrastructure.InMemoryTelemetry;

namespace Jobs.Tests.Telemetry;

/// <summary>The Meter named Jobs as an OpenTelemetry exporter sees it: every instrument's name, unit, type and tags.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class MetricsTests
{
    private static readonly string[] TypeTag = ["job.type"];
    private static readonly string[] DurationTags = ["job.outcome", "job.type"];
    private static readonly string[] QueueTag = ["job.queue"];

    [Theory, AllProviders]
    public async Task Pool_AttemptsEndingEveryWay_InstrumentsHaveTheirNamesUnitsTypesAndTags(string provider)
    {
        using var telemetry = new InMemoryTelemetry();
        var (type, idle, queue) = ("otel-" + Guid.NewGuid().ToString("N")[..8], "idle-" + Guid.NewGuid().ToString("N")[..8], "q-" + Guid.NewGuid().ToString("N")[..8]);
        var database = await TestDatabases.CreateAsync(provider);
        void Types(IJobsBuilder b) => b.AddJobType<Mode>(type, (m, ctx) => m.Fails == 2 || (m.Fails == 1 && ctx.Attempt == 1)
            ? throw new InvalidOperationException("fails") : Task.CompletedTask, t =>
        {
            t.Queue = queue;
            t.MaxRetries = 1;
            t.Backoff.BaseDelay = TimeSpan.Zero;
        });
        await using var pool = await JobsHarness.CreateAsync(database, Types);
        // Another process's type on the same queue: this pool never claims it, so it waits, due, and the queue lags.
        await using var other = await JobsHarness.CreateAsync(database, b =>
        {
            Types(b);
            b.AddJobType(idle, _ => Task.CompletedTask, t => t.Queue = queue);
        }, startPool: false);

        var lagging = await other.Client.ScheduleAsync(idle, new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddSeconds(-30) });
        await pool.Client.ScheduleAsync(type, new Mode(0), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var ok = await pool.Client.ScheduleAsync(type, new Mode(0));
        var retried = await pool.Client.ScheduleAsync(type, new Mode(1));
        var failed = await pool.Client.ScheduleAsync(type, new Mode(2));
        await Eventually.StatusAsync(ok, JobStatus.Finished);
        await Eventually.StatusAsync(retried, JobStatus.Finished);
        await Eventually.StatusAsync(failed, JobStatus.Failed);

        // The leader reads the queues on its turn; wait for a reading that saw every job above.
        List<MetricSnapshot> metrics = [];
        await Eventually.TrueAsync(() =>
        {
            metrics = telemetry.Collect();
            var queued = metrics.SingleOrDefault(m => m.Name == "jobs.queued");
            return Task.FromResult(queued is not null && Points(queued, "job.queue", queue) is [var p] && p.Point.GetGaugeLastValueLong() == 2);
        }, "jobs.queued to report 2 for the test's queue");

        AssertCounter(metrics, "jobs.started", type, 5); // 1 + 2 + 2 attempts
        AssertCounter(metrics, "jobs.succeeded", type, 2);
        AssertCounter(metrics, "jobs.retried", type, 2);
        AssertCounter(metrics, "jobs.failed", type, 1);
        Assert.Equal((MetricType.LongSum, "{job}"), (Metric(metrics, "jobs.claim.attempted").MetricType, Metric(metrics, "jobs.claim.attempted").Unit));
        Assert.Equal((MetricType.LongSum, "{transaction}"), (Metric(metrics, "jobs.db.transactions").MetricType, Metric(metrics, "jobs.db.transactions").Unit));

        var executing = Metric(metrics, "jobs.executing");
        Assert.Equal((MetricType.LongSumNonMonotonic, "{job}"), (executing.MetricType, executing.Unit));
        var executingPoint = Assert.Single(Points(executing, "job.type", type));
        Assert.Equal(TypeTag, executingPoint.Tags.Keys.Order());
        Assert.Equal(0, executingPoint.Point.GetSumLong());

        var duration = Metric(metrics, "jobs.duration");
        Assert.Equal((MetricType.Histogram, "s"), (duration.MetricType, duration.Unit));
        var byOutcome = Points(duration, "job.type", type).ToDictionary(p => (string)p.Tags["job.outcome"]!);
        Assert.Equal(["failed", "retried", "succeeded"], byOutcome.Keys.Order());
        Assert.All(byOutcome.Values, p => Assert.Equal(DurationTags, p.Tags.Keys.Order()));
        Assert.Equal((2L, 2L, 1L), (byOutcome["succeeded"].Point.GetHistogramCount(), byOutcome["retried"].Point.GetHistogramCount(), byOutcome["failed"].Point.GetHistogramCount()));
        var bounds = new List<double>();
        foreach (var bucket in byOutcome["succeeded"].Point.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal([.. JobsMetrics.DurationBuckets, double.PositiveInfinity], bounds);
        Assert.True(byOutcome["succeeded"].Point.GetHistogramSum() < 5, "durations are in seconds");

        var queuedMetric = Metric(metrics, "jobs.queued");
        Assert.Equal((MetricType.LongGauge, "{job}"), (queuedMetric.MetricType, queuedMetric.Unit));
        Assert.Equal(QueueTag, Assert.Single(Points(queuedMetric, "job.queue", queue)).Tags.Keys);
        var lag = Metric(metrics, "jobs.queue.lag");
        Assert.Equal((MetricType.DoubleGauge, "s"), (lag.MetricType, lag.Unit));
        var lagPoint = Assert.Single(Points(lag, "job.queue", queue));
        Assert.Equal(QueueTag, lagPoint.Tags.Keys);
        Assert.InRange(lagPoint.Point.GetGaugeLastValueDouble(), 30, 30 + Eventually.DefaultTimeout.TotalSeconds * 4);
        await lagging.RefreshAsync();
        Assert.Equal(JobStatus.Queued, lagging.Status);
    }

    [Theory, AllProviders]
    public async Task Executing_AttemptsEndingByOutcomeLossAndStopRelease_CountsThemAndReturnsToZero(string provider)
    {
        using var telemetry = new InMemoryTelemetry();
        var type = "exec-" + Guid.NewGuid().ToString("N")[..8];
        var entered = System.Threading.Channels.Channel.CreateUnbounded<long>();
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Mode>(type, async (m, ctx) =>
        {
            entered.Writer.TryWrite(ctx.JobId);
            if (m.Fails == 0)
            {
                await finish.Task.WaitAsync(ctx.CancellationToken);
            }
            else
            {
                await stuck.Task; // Ignores its token: only the stop's release ends this attempt.
            }
        }), o => o.Pool.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        long Executing() => Points(Metric(telemetry.Collect(), "jobs.executing"), "job.type", type) is [var p] ? p.Point.GetSumLong() : 0;

        var completes = await jobs.Client.ScheduleAsync(type, new Mode(0));
        var lost = await jobs.Client.ScheduleAsync(type, new Mode(0));
        await entered.Reader.ReadAsync();
        await entered.Reader.ReadAsync();
        Assert.Equal(2, Executing());

        await lost.DeleteAsync(); // The pool loses the job: its handler is cancelled.
        await Eventually.TrueAsync(() => Task.FromResult(Executing() == 1), "the lost attempt to leave jobs.executing");
        finish.SetResult();
        await Eventually.StatusAsync(completes, JobStatus.Finished);
        Assert.Equal(0, Executing());

        var ignoring = await jobs.Client.ScheduleAsync(type, new Mode(1));
        await entered.Reader.ReadAsync();
        Assert.Equal(1, Executing());
        await jobs.Pool.StopAsync(); // Released while its handler still runs.
        Assert.Equal(0, Executing());
        stuck.SetResult();
        await ignoring.RefreshAsync();
        Assert.Equal(JobStatus.Queued, ignoring.Status);
    }

    [Theory, AllProviders]
    public async Task QueueGauges_TwoPools_OnlyTheLeaderReportsAndStopsReportingWhenItStops(string provider)
    {
        var (type, queue) = ("lead-" + Guid.NewGuid().ToString("N")[..8], "q-" + Guid.NewGuid().ToString("N")[..8]);
        var database = await TestDatabases.CreateAsync(provider);
        void Types(IJobsBuilder b) => b.AddJobType(type, _ => Task.CompletedTask, t => t.Queue = queue);
        await using var first = await JobsHarness.CreateAsync(database, Types, startPool: false);
        await using var second = await JobsHarness.CreateAsync(database, Types, startPool: false);
        first.Signals.QueuesRead.Init();
        second.Signals.LeaderChecked.Init();
        await first.Client.ScheduleAsync(type, new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await first.Pool.StartAsync();
        await first.Signals.QueuesRead.WaitAsync(Eventually.DefaultTimeout);
        await second.Pool.StartAsync();
        Assert.False(await second.Signals.LeaderChecked.WaitAsync(Eventually.DefaultTimeout));

        var leader = first.Services.GetRequiredService<JobsMetrics>().Queues;
        Assert.Equal(new QueueStat(queue, 1, 0), Assert.Single(leader!.Queues));
        Assert.Null(second.Services.GetRequiredService<JobsMetrics>().Queues);

        await first.Pool.StopAsync();
        Assert.Null(first.Services.GetRequiredService<JobsMetrics>().Queues);
    }

    private static void AssertCounter(List<MetricSnapshot> metrics, string name, string type, long value)
    {
        var metric = Metric(metrics, name);
        Assert.Equal((MetricType.LongSum, "{job}"), (metric.MetricType, metric.Unit));
        var point = Assert.Single(Points(metric, "job.type", type));
        Assert.Equal(TypeTag, point.Tags.Keys);
        Assert.Equal(value, point.Point.GetSumLong());
    }

    internal sealed record Mode(int Fails);
}
