using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

public sealed class JobAdminTests
{
    internal sealed record Work(string Key);

    private static readonly ConcurrentDictionary<string, bool> MaySucceed = new();

    private static Task FlakyAsync(Work work, JobContext ctx)
        => MaySucceed.ContainsKey(work.Key) ? Task.CompletedTask : throw new InvalidOperationException($"refused {work.Key}");

    private static async Task<JobsHarness> CreateAsync(string provider, bool startPool = true) => await JobsHarness.CreateAsync(
        await TestDatabases.CreateAsync(provider),
        b => b.AddJobType<Work>("flaky", FlakyAsync, o => o.MaxRetries = 0)
            .AddJobType<Work>("tick", (_, _) => Task.CompletedTask)
            .AddJobType<Work>("progress", async (_, ctx) =>
            {
                for (var i = 0; ; i = (i + 1) % 100)
                {
                    await ctx.ReportProgressAsync(i, null, ctx.CancellationToken);
                    await Task.Delay(5, ctx.CancellationToken);
                }
            }),
        o =>
        {
            o.ProgressWriteInterval = TimeSpan.Zero;
            foreach (var queue in (string[])["default", "a", "b"])
            {
                o.Pool.Queues.Add(queue);
            }
        },
        startPool: startPool);

    [Theory, AllProviders]
    public async Task RetryAsync_FailedJob_RunsAgainWithFreshBudget(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var key = Guid.NewGuid().ToString("N");
        var job = await jobs.Client.ScheduleAsync("flaky", new Work(key));
        await Eventually.StatusAsync(job, JobStatus.Failed);

        MaySucceed[key] = true;
        var retried = await admin.RetryAsync(JobTarget.Seen(job));

        Assert.Equal(0, retried.Attempt);
        await Eventually.StatusAsync(retried, JobStatus.Finished);
        var kinds = (await retried.GetHistoryAsync()).Select(e => e.Kind).ToList();
        Assert.Equal([JobEventKind.Scheduled, JobEventKind.Started, JobEventKind.Failed, JobEventKind.Rescheduled, JobEventKind.Started, JobEventKind.Succeeded], kinds);
    }

    [Theory, AllProviders]
    public async Task RetryAsync_JobChangedSinceSeen_RefusedWithoutChange(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleAsync("tick", new Work("x"));
        var cancelledSeen = await admin.CancelAsync(JobTarget.Seen(job));
        await admin.RetryAsync(JobTarget.Seen(cancelledSeen)); // Someone else retried it meanwhile.

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => admin.RetryAsync(JobTarget.Seen(cancelledSeen)));

        Assert.Contains("changed meanwhile", ex.Message, StringComparison.Ordinal);
        Assert.Equal(JobStateProblem.ChangedMeanwhile, ex.Reason);
        Assert.Equal(JobStatus.Queued, ex.CurrentStatus);
        var history = await job.GetHistoryAsync();
        Assert.Single(history, e => e.Kind == JobEventKind.Rescheduled);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_ExecutingJobReportedProgressSinceSeen_StillCancels(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleAsync("progress", new Work("p"));
        await Eventually.StatusAsync(job, JobStatus.Executing);
        var seen = JobTarget.Seen(job);
        await Eventually.TrueAsync(async () =>
        {
            await job.RefreshAsync();
            return job.Version != seen.Version;
        }, "a progress report to move the version");

        await admin.CancelAsync(seen);

        await Eventually.StatusAsync(job, JobStatus.Cancelled);
    }

    [Theory, AllProviders]
    public async Task DeleteAsync_QueuedJobSeenBeforeRunAtChanged_Refused(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleAsync("tick", new Work("d"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var seen = JobTarget.Seen(job);
        await admin.RunNowAsync(seen);

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => admin.DeleteAsync(seen));

        Assert.Equal(JobStateProblem.ChangedMeanwhile, ex.Reason);
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_FilterOnFailedInOneQueue_RetriesExactlyThose(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var a = new List<Job>();
        var b = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            a.Add(await jobs.Client.ScheduleAsync("flaky", new Work("a" + i), new JobScheduleOptions { Queue = "a" }));
            b.Add(await jobs.Client.ScheduleAsync("flaky", new Work("b" + i), new JobScheduleOptions { Queue = "b" }));
        }

        var finished = await jobs.Client.ScheduleAsync("tick", new Work("t"), new JobScheduleOptions { Queue = "a" });
        foreach (var job in a.Concat(b))
        {
            await Eventually.StatusAsync(job, JobStatus.Failed);
        }

        await Eventually.StatusAsync(finished, JobStatus.Finished);
        await jobs.Pool.StopAsync();

        var result = await admin.ApplyAsync(JobAction.Retry, new JobQuery { Status = JobStatus.Failed, Queue = "a" });

        Assert.Equal(new BulkActionResult(3, 3, 0, []), result with { Reasons = [] });
        foreach (var job in a)
        {
            await job.RefreshAsync();
            Assert.Equal(JobStatus.Queued, job.Status);
        }

        foreach (var job in b.Append(finished))
        {
            var before = job.Status;
            await job.RefreshAsync();
            Assert.Equal(before, job.Status);
            Assert.DoesNotContain(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescheduled);
        }
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_TargetsInMixedStates_CancelsQueuedAndSkipsTheRest(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var queued = await jobs.Client.ScheduleAsync("tick", new Work("q"));
        var stale = await jobs.Client.ScheduleAsync("tick", new Work("s"));
        var staleSeen = JobTarget.Seen(stale);
        await stale.CancelAsync();
        var done = await jobs.Client.ScheduleAsync("tick", new Work("c"));
        await done.CancelAsync();

        var result = await admin.ApplyAsync(JobAction.Cancel, [JobTarget.Seen(queued), staleSeen, JobTarget.Seen(done), new JobTarget(999_999)]);

        Assert.Equal(4, result.Matched);
        Assert.Equal(1, result.Applied);
        Assert.Equal(3, result.Skipped);
        Assert.Contains(result.Reasons, r => r.Contains("changed meanwhile", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.Contains("cannot be cancelled", StringComparison.Ordinal));
        await queued.RefreshAsync();
        Assert.Equal(JobStatus.Cancelled, queued.Status);
    }

    [Theory, AllProviders]
    public async Task PauseAndResume_RecurringJob_StopsAndRestartsOnSchedule(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var start = DateTimeOffset.UtcNow.AddMinutes(10);
        var job = await jobs.Client.ScheduleRecurringAsync("tick", new Work("r"), TimeSpan.FromHours(1), new JobScheduleOptions { RunAt = start });

        var paused = await admin.PauseAsync(JobTarget.Seen(job));
        Assert.Equal(JobStatus.Paused, paused.Status);
        var info = Assert.Single(await jobs.Monitor.GetRecurringAsync());
        Assert.True(info.Paused);
        Assert.Equal(JobStatus.Paused, info.Job.Status);
        Assert.Null(info.LastResult);
        var again = await Assert.ThrowsAsync<InvalidJobStateException>(() => admin.PauseAsync(JobTarget.Seen(paused)));
        Assert.Equal(JobStateProblem.NotApplicable, again.Reason);
        var resumed = await admin.ResumeAsync(JobTarget.Seen(paused));

        Assert.Equal(JobStatus.Queued, resumed.Status);
        Assert.Equal(start, resumed.RunAt, TimeSpan.FromMilliseconds(1));
        var oneOff = await jobs.Client.ScheduleAsync("tick", new Work("o"));
        await Assert.ThrowsAsync<InvalidJobStateException>(() => admin.PauseAsync(JobTarget.Seen(oneOff)));
    }

    [Theory, AllProviders]
    public async Task GetRecurringAsync_AfterRuns_ShowsLastResult(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var key = Guid.NewGuid().ToString("N");
        var job = await jobs.Client.ScheduleRecurringAsync("flaky", new Work(key), TimeSpan.FromHours(1));

        await Eventually.TrueAsync(async () => (await jobs.Monitor.GetRecurringAsync()).Single().LastResult is not null, "the first run to end");

        var info = Assert.Single(await jobs.Monitor.GetRecurringAsync());
        Assert.Equal(job.Id, info.Job.Id);
        Assert.Equal(JobEventKind.Failed, info.LastResult!.Kind);
        Assert.Equal($"refused {key}", info.LastResult.Error!.Message);
        Assert.Equal(JobStatus.Queued, info.Job.Status);
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchSortAndRecurringFilter_NarrowTheList(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var first = await jobs.Client.ScheduleAsync("tick", new Work("needle_1%"));
        var second = await jobs.Client.ScheduleAsync("tick", new Work("hay"));
        var third = await jobs.Client.ScheduleAsync("flaky", new Work("needle_2"));
        var recurring = await jobs.Client.ScheduleRecurringAsync("tick", new Work("every"), TimeSpan.FromHours(1));

        var needles = await jobs.Monitor.ListAsync(new JobQuery { Search = "NEEDLE", Sort = JobSort.Id, Descending = true });
        var literalPercent = await jobs.Monitor.ListAsync(new JobQuery { Search = "1%" });
        var byId = await jobs.Monitor.ListAsync(new JobQuery { Search = second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var byType = await jobs.Monitor.ListAsync(new JobQuery { Search = "flak" });
        var recurringOnly = await jobs.Monitor.ListAsync(new JobQuery { Recurring = true });
        var page = await jobs.Monitor.ListAsync(new JobQuery { Sort = JobSort.Id, Descending = true, Skip = 1, Take = 2 });

        Assert.Equal([third.Id, first.Id], needles.Items.Select(j => j.Id));
        Assert.Equal(2, needles.Total);
        Assert.Equal([first.Id], literalPercent.Items.Select(j => j.Id));
        Assert.Contains(second.Id, byId.Items.Select(j => j.Id));
        Assert.Equal([third.Id], byType.Items.Select(j => j.Id));
        Assert.Equal([recurring.Id], recurringOnly.Items.Select(j => j.Id));
        Assert.Equal([third.Id, second.Id], page.Items.Select(j => j.Id));
        Assert.Equal(4, page.Total);
    }

    [Theory, AllProviders]
    public async Task GetEventsAsync_AfterCursor_ReturnsLaterEventsOfEveryJobInOrder(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        var before = await jobs.Client.ScheduleAsync("tick", new Work("1"));
        var cursor = await jobs.Monitor.GetLatestEventIdAsync();
        var a = await jobs.Client.ScheduleAsync("tick", new Work("2"));
        await a.CancelAsync();
        var b = await jobs.Client.ScheduleAsync("flaky", new Work("3"));

        var events = await jobs.Monitor.GetEventsAsync(cursor);
        var limited = await jobs.Monitor.GetEventsAsync(cursor, limit: 2);

        Assert.Equal([(a.Id, JobEventKind.Scheduled), (a.Id, JobEventKind.Cancelled), (b.Id, JobEventKind.Scheduled)],
            events.Select(e => (e.JobId, e.Kind)));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.Equal(2, limited.Count);
        Assert.DoesNotContain(events, e => e.JobId == before.Id);
        Assert.Empty(await jobs.Monitor.GetEventsAsync(events[^1].Id));
    }

    [Theory, AllProviders]
    public async Task GetJobTypesAsync_RegisteredAndStored_CountsPerStatus(string provider)
    {
        await using var jobs = await CreateAsync(provider, startPool: false);
        await jobs.Client.ScheduleAsync("tick", new Work("1"));
        var cancelled = await jobs.Client.ScheduleAsync("tick", new Work("2"));
        await cancelled.CancelAsync();

        var types = await jobs.Monitor.GetJobTypesAsync();

        Assert.Equal(["flaky", "progress", "tick"], types.Select(t => t.Name));
        var tick = types.Single(t => t.Name == "tick");
        Assert.True(tick.Registered);
        Assert.Equal(3, tick.MaxRetries);
        Assert.Equal("default", tick.Queue);
        Assert.Equal(1, tick.Counts[JobStatus.Queued]);
        Assert.Equal(1, tick.Counts[JobStatus.Cancelled]);
        Assert.Equal(0, types.Single(t => t.Name == "flaky").Counts[JobStatus.Queued]);
    }
}
