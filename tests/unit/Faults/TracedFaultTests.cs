using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Faults;

/// <summary>With tracing on, the span's status is one more place an exception's message is read.</summary>
public sealed class TracedFaultTests
{
    [Theory, AllProviders]
    public async Task Handler_ThrowsExceptionWhoseMessageThrowsWhileTraced_FailsAndSpanCarriesTheNote(string provider)
    {
        var type = "traced-hostile-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Jobs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Kind == ActivityKind.Consumer && (string?)a.GetTagItem("job.type") == type) // the attempts, not job.schedule
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType(type, _ => throw new HostileExceptions.MessageThrows(), t => t.MaxRetries = 0)
            .AddJobType("fine", _ => Task.CompletedTask));

        var bad = await jobs.Client.ScheduleAsync(type);
        await Eventually.StatusAsync(bad, JobStatus.Failed);
        var fine = await jobs.Client.ScheduleAsync("fine");
        await Eventually.StatusAsync(fine, JobStatus.Finished);

        Assert.Equal("<Message threw InvalidOperationException>", bad.LastError!.Message);
        var span = Assert.Single(spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("<Message threw InvalidOperationException>", span.StatusDescription);
    }
}
