using System.Collections.Concurrent;
using Jobs.Execution;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests;

public sealed class RecurringJobTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    internal sealed record Tick(string Name);

    [Theory, AllProviders]
    public async Task Recurring_Interval_RunsEveryIntervalCountedFromScheduledTimeNotFromCompletion(string provider)
    {
        var time = new FakeTimeProvider(T0);
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Tick>("tick", (_, _) =>
        {
            runs.Enqueue(time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(20)); // The run itself takes 20 s.
            return Task.CompletedTask;
        }), time: time);

        var job = await jobs.Client.ScheduleRecurringAsync("tick", new Tick("t"), TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(1), job.Interval);
        await WaitForNextRunAsync(job, T0.AddMinutes(1));
        time.Advance(TimeSpan.FromSeconds(40));
        await WaitForNextRunAsync(job, T0.AddMinutes(2));

        Assert.Equal([T0, T0.AddMinutes(1)], runs);
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Theory, AllProviders]
    public async Task Recurring_AfterDowntime_RunsOnceThenResumesOnSchedule(string provider)
    {
        var time = new FakeTimeProvider(T0);
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Tick>("tick", (_, _) =>
        {
            runs.Enqueue(time.GetUtcNow());
            return Task.CompletedTask;
        }), time: time, startPool: false);
        var job = await jobs.Client.ScheduleRecurringAsync("tick", new Tick("t"), TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromMinutes(10.5)); // Ten intervals pass with no pool running.
        await jobs.Pool.StartAsync();
        await WaitForNextRunAsync(job, T0.AddMinutes(11));

        Assert.Equal([T0.AddMinutes(10.5)], runs);
    }

    [Theory, AllProviders]
    public async Task Recurring_RunFailsForGood_NextRunGetsFreshRetryBudget(string provider)
    {
        var time = new FakeTimeProvider(T0);
        var attempts = new ConcurrentQueue<int>();
        var calls = 0;
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Tick>("tick", (_, ctx) =>
        {
            attempts.Enqueue(ctx.Attempt);
            return Interlocked.Increment(ref calls) <= 3 ? throw new InvalidOperationException("not yet") : Task.CompletedTask;
        }, t =>
        {
            t.MaxRetries = 1;
            t.Backoff.BaseDelay = TimeSpan.Zero;
        }), time: time);

        var job = await jobs.Client.ScheduleRecurringAsync("tick", new Tick("t"), TimeSpan.FromMinutes(1));
        await WaitForNextRunAsync(job, T0.AddMinutes(1));
        Assert.Equal("not yet", job.LastError?.Message);
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitForNextRunAsync(job, T0.AddMinutes(2));

        Assert.Equal([1, 2, 1, 2], attempts);
        var kinds = (await job.GetHistoryAsync()).Select(e => e.Kind).Where(k => k is JobEventKind.Failed or JobEventKind.Succeeded).ToList();
        Assert.Equal([JobEventKind.Failed, JobEventKind.Succeeded], kinds);
    }

    [Theory, AllProviders]
    public async Task RunNowAsync_RecurringJobBeforeItsRunTime_RunsAndKeepsTheCadence(string provider)
    {
        var time = new FakeTimeProvider(T0);
        var runs = new ConcurrentQueue<DateTimeOffset>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Tick>("tick", (_, _) =>
        {
            runs.Enqueue(time.GetUtcNow());
            return Task.CompletedTask;
        }), time: time);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleRecurringAsync("tick", new Tick("t"), TimeSpan.FromMinutes(1));
        await WaitForNextRunAsync(job, T0.AddMinutes(1));

        time.Advance(TimeSpan.FromSeconds(50));
        await admin.RunNowAsync(JobTarget.Seen(job));

        // The early run happens, and the occurrence it came before still does: the schedule is not pushed back.
        await WaitForNextRunAsync(job, T0.AddMinutes(1));
        time.Advance(TimeSpan.FromSeconds(10));
        await WaitForNextRunAsync(job, T0.AddMinutes(2));
        Assert.Equal([T0, T0.AddSeconds(50), T0.AddMinutes(1)], runs);
    }

    [Fact]
    public void NextOccurrence_ManyIntervalsMissed_ReturnsFirstSlotAfterNow()
    {
        var scheduled = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(scheduled.AddMinutes(1), Transitions.NextOccurrence(scheduled, 60_000, scheduled.AddSeconds(1)));
        Assert.Equal(scheduled.AddMinutes(6), Transitions.NextOccurrence(scheduled, 60_000, scheduled.AddMinutes(5)));
        Assert.Equal(scheduled.AddMinutes(6), Transitions.NextOccurrence(scheduled, 60_000, scheduled.AddMinutes(5.5)));
    }

    /// <summary>Waits until the job's current run has ended and it is queued for <paramref name="next"/>.</summary>
    private static Task WaitForNextRunAsync(Job job, DateTimeOffset next)
        => Eventually.TrueAsync(async () =>
        {
            await job.RefreshAsync();
            return job.Status == JobStatus.Queued && job.RunAt == next && job.Attempt == 0;
        }, () => $"job {job.Id} queued for {next:o} (is {job.Status}, run at {job.RunAt:o}, attempt {job.Attempt})");
}
