using Jobs.Tests.Infrastructure;

namespace Jobs.Tests;

/// <summary>The filters behind the dashboard's Scheduled and Retrying views (<see cref="JobQuery.RunAtAfter"/>,
/// <see cref="JobQuery.MinAttempt"/>), on every provider, in listings and in bulk actions, which share them.</summary>
public sealed class JobQueryFilterTests
{
    internal sealed record Note(string Text);

    [Theory, AllProviders]
    public async Task ListAsync_RunAtAfter_ListsOnlyJobsDueLater(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType<Note>("note", (_, _) => Task.CompletedTask), startPool: false);
        var now = DateTimeOffset.UtcNow;
        var due = await jobs.Client.ScheduleAsync("note", new Note("due"));
        var soon = await jobs.Client.ScheduleAsync("note", new Note("soon"), new JobScheduleOptions { RunAt = now.AddMinutes(10) });
        var later = await jobs.Client.ScheduleAsync("note", new Note("later"), new JobScheduleOptions { RunAt = now.AddHours(5) });

        var scheduled = await jobs.Monitor.ListAsync(new JobQuery { Status = JobStatus.Queued, RunAtAfter = now.AddMinutes(1), Sort = JobSort.Id });
        var afterSoon = await jobs.Monitor.ListAsync(new JobQuery { RunAtAfter = soon.RunAt, Sort = JobSort.Id });

        Assert.Equal([soon.Id, later.Id], scheduled.Items.Select(j => j.Id));
        Assert.Equal(2, scheduled.Total);
        Assert.Equal([later.Id], afterSoon.Items.Select(j => j.Id));
        Assert.DoesNotContain(due.Id, scheduled.Items.Select(j => j.Id));
    }

    [Theory, AllProviders]
    public async Task ListAsync_MinAttempt_ListsOnlyQueuedJobsWaitingForARetry(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Note>("note", (_, _) => Task.CompletedTask)
            .AddJobType<Note>("flaky", (_, _) => throw new InvalidOperationException("fails"), t =>
            {
                t.MaxRetries = 3;
                t.Backoff.BaseDelay = TimeSpan.FromHours(1); // The retry waits: the job stays queued with one attempt used.
            }));
        var fresh = await jobs.Client.ScheduleAsync("note", new Note("fresh"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var flaky = await jobs.Client.ScheduleAsync("flaky", new Note("retrying"));
        await Eventually.TrueAsync(async () => (await jobs.Client.GetAsync(flaky.Id)) is { Status: JobStatus.Queued, Attempt: 1 }, "the first attempt to fail");

        var retrying = await jobs.Monitor.ListAsync(new JobQuery { Status = JobStatus.Queued, MinAttempt = 1 });
        var second = await jobs.Monitor.ListAsync(new JobQuery { MinAttempt = 2 });

        Assert.Equal([flaky.Id], retrying.Items.Select(j => j.Id));
        Assert.Equal(1, retrying.Total);
        Assert.Empty(second.Items);
        Assert.Equal(0, (await jobs.Client.GetAsync(fresh.Id)).Attempt);
    }
}
