using System.Diagnostics;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Telemetry;

/// <summary>The ActivitySource named Jobs as an OpenTelemetry exporter sees it: a producer span per schedule call, a
/// consumer span per attempt, and the attempt's link back to the context that scheduled it.</summary>
public sealed class TracingTests
{
    private const string CallerSource = "Jobs.Tests.Caller";
    private static readonly ActivitySource Caller = new(CallerSource);

    [Theory, AllProviders]
    public async Task ScheduleAsync_UnderAnActivity_ProducerSpanAndEachAttemptLinksToIt(string provider)
    {
        using var telemetry = new InMemoryTelemetry(CallerSource);
        var (type, queue) = ("trace-" + Guid.NewGuid().ToString("N")[..8], "q-" + Guid.NewGuid().ToString("N")[..8]);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType(type,
            ctx => ctx.Attempt == 1 ? throw new InvalidOperationException("first fails") : Task.CompletedTask, t =>
            {
                t.Queue = queue;
                t.Backoff.BaseDelay = TimeSpan.Zero;
            }));

        Job job;
        ActivityTraceId traceId;
        using (var request = Caller.StartActivity("POST /orders", ActivityKind.Server)!)
        {
            request.TraceStateString = "tenant=42";
            traceId = request.TraceId;
            job = await jobs.Client.ScheduleAsync(type);
        }

        await Eventually.StatusAsync(job, JobStatus.Finished);

        // Ids repeat across the tests' databases: the type tells this test's spans apart.
        var spans = () => telemetry.Spans("job.type", type).Where(a => Equals(a.GetTagItem("job.id"), job.Id)).ToList();
        var schedule = Assert.Single(spans(), a => a.Kind == ActivityKind.Producer);
        Assert.Equal(($"job.schedule {type}", traceId), (schedule.DisplayName, schedule.TraceId));
        Assert.Equal((type, queue, 1), ((string?)schedule.GetTagItem("job.type"), (string?)schedule.GetTagItem("job.queue"), (int?)schedule.GetTagItem("job.count")));
        List<Activity> attempts = [];
        await Eventually.TrueAsync(() => Task.FromResult((attempts = [.. spans().Where(a => a.Kind == ActivityKind.Consumer)]).Count == 2),
            "both attempts' spans to end");
        Assert.All(attempts, a =>
        {
            Assert.Equal($"job.execute {type}", a.DisplayName);
            Assert.Equal((type, queue), ((string?)a.GetTagItem("job.type"), (string?)a.GetTagItem("job.queue")));
            var link = Assert.Single(a.Links);
            Assert.Equal((schedule.TraceId, schedule.SpanId, "tenant=42", true), (link.Context.TraceId, link.Context.SpanId, link.Context.TraceState, link.Context.IsRemote));
            Assert.NotEqual(schedule.TraceId, a.TraceId); // A trace of its own, linked: the attempt may run hours later.
        });
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem("job.attempt")!).Order());
        Assert.Equal(["retried", "succeeded"], attempts.Select(a => (string)a.GetTagItem("job.outcome")!).Order());
        Assert.Contains(attempts, a => a.Status == ActivityStatusCode.Error);
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAndRecurring_UnderAnActivity_EveryAttemptLinksToItsScheduleSpan(string provider)
    {
        using var telemetry = new InMemoryTelemetry(CallerSource);
        var (a, b) = ("many-a-" + Guid.NewGuid().ToString("N")[..8], "many-b-" + Guid.NewGuid().ToString("N")[..8]);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), x =>
        {
            x.AddJobType(a, _ => Task.CompletedTask);
            x.AddJobType(b, _ => Task.CompletedTask);
        });

        IReadOnlyList<Job> many;
        Job recurring;
        ActivityTraceId traceId;
        using (var outer = Caller.StartActivity("batch")!)
        {
            traceId = outer.TraceId;
            many = await jobs.Client.ScheduleManyAsync([JobRequest.Create(a), JobRequest.Create(b)]);
            recurring = await jobs.Client.ScheduleRecurringAsync(a, TimeSpan.FromMilliseconds(50));
        }

        List<Activity> attempts = [];
        await Eventually.TrueAsync(() =>
        {
            attempts = [.. telemetry.Spans("job.type", a).Concat(telemetry.Spans("job.type", b)).Where(s => s.Kind == ActivityKind.Consumer)];
            return Task.FromResult(attempts.Count(s => (long)s.GetTagItem("job.id")! == recurring.Id) >= 2 && attempts.Count(s => (long)s.GetTagItem("job.id")! != recurring.Id) == 2);
        }, "the batch's jobs and two runs of the recurring job to end");

        var producers = telemetry.Spans("job.count", 2).Concat(telemetry.Spans("job.count", 1))
            .Where(s => s.Kind == ActivityKind.Producer && s.TraceId == traceId).ToList();
        var batch = Assert.Single(producers, s => s.DisplayName == "job.schedule");
        Assert.Null(batch.GetTagItem("job.type")); // Two types in one call.
        var recurringSchedule = Assert.Single(producers, s => s.DisplayName == $"job.schedule {a}");
        foreach (var attempt in attempts)
        {
            var expected = (long)attempt.GetTagItem("job.id")! == recurring.Id ? recurringSchedule : batch;
            Assert.Equal((expected.TraceId, expected.SpanId), (Assert.Single(attempt.Links).Context.TraceId, attempt.Links.Single().Context.SpanId));
        }

        Assert.Equal(many.Select(j => j.Id).Order(), attempts.Select(s => (long)s.GetTagItem("job.id")!).Where(id => id != recurring.Id).Order());
    }
}
