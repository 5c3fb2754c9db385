using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests;

public sealed class JobHandleTests
{
    internal sealed record Step(int N);

    [Theory, AllProviders]
    public async Task CancelAsync_QueuedJob_NeverRuns(string provider)
    {
        var ran = new ConcurrentBag<int>();
        var db = await TestDatabases.CreateAsync(provider);
        await using var jobs = await JobsHarness.CreateAsync(db, b => b.AddJobType<Step>("step", (a, _) =>
        {
            ran.Add(a.N);
            return Task.CompletedTask;
        }), o => o.Pool.NumWorkers = 1, startPool: false);
        var cancelled = await jobs.Client.ScheduleAsync("step", new Step(1));
        var later = await jobs.Client.ScheduleAsync("step", new Step(2), new JobScheduleOptions { Priority = -1 });

        await cancelled.CancelAsync();
        await jobs.Pool.StartAsync();
        await Eventually.StatusAsync(later, JobStatus.Finished);

        await cancelled.RefreshAsync();
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal([2], ran);
        Assert.Equal(0, cancelled.Attempt);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_ExecutingJob_CancelsHandlerTokenAndEndsCancelled(string provider)
    {
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("wait", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                tokenCancelled.SetResult();
                throw;
            }
        }));
        var job = await jobs.Client.ScheduleAsync("wait");
        await Eventually.StatusAsync(job, JobStatus.Executing);

        await job.CancelAsync();
        await tokenCancelled.Task.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.StatusAsync(job, JobStatus.Cancelled);

        var kinds = (await job.GetHistoryAsync()).Select(e => e.Kind).ToList();
        Assert.Contains(JobEventKind.CancelRequested, kinds);
        Assert.Equal(JobEventKind.Cancelled, kinds[^1]);
        Assert.DoesNotContain(JobEventKind.Succeeded, kinds);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_FromAnotherProcess_ReachesHandlerThroughHeartbeat(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<JobContext, Task> handler = async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                tokenCancelled.TrySetResult();
                throw;
            }
        };
        await using var worker = await JobsHarness.CreateAsync(db, b => b.AddJobType("wait", handler));
        await using var operator_ = await JobsHarness.CreateAsync(db, b => b.AddJobType("wait", handler), startPool: false);
        var job = await worker.Client.ScheduleAsync("wait");
        await Eventually.StatusAsync(job, JobStatus.Executing);

        var remote = await operator_.Client.GetAsync(job.Id);
        await remote.CancelAsync();

        Assert.True(remote.CancelRequested);
        await tokenCancelled.Task.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.StatusAsync(remote, JobStatus.Cancelled);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_HandlerIgnoresTokenAndSucceeds_JobStaysCancelled(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("stubborn", _ => gate.Task));
        var job = await jobs.Client.ScheduleAsync("stubborn");
        await Eventually.StatusAsync(job, JobStatus.Executing);

        await job.CancelAsync();
        gate.SetResult();
        await Eventually.StatusAsync(job, JobStatus.Cancelled);

        var kinds = (await job.GetHistoryAsync()).Select(e => e.Kind).ToList();
        Assert.DoesNotContain(JobEventKind.Succeeded, kinds);
        Assert.Equal(JobEventKind.Cancelled, kinds[^1]);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_FinishedJob_ThrowsInvalidState(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("quick", _ => Task.CompletedTask));
        var job = await jobs.Client.ScheduleAsync("quick");
        await Eventually.StatusAsync(job, JobStatus.Finished);

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => job.CancelAsync());

        Assert.Equal(JobStatus.Finished, ex.CurrentStatus);
        Assert.Equal(JobStateProblem.NotApplicable, ex.Reason);
        Assert.Contains("finished", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_QueuedJob_MovesRunTime(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("later", _ => Task.CompletedTask), startPool: false);
        var job = await jobs.Client.ScheduleAsync("later", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddDays(1) });
        var newTime = DateTimeOffset.UtcNow.AddDays(2);

        await job.RescheduleAsync(newTime);

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(newTime.UtcTicks / 10, job.RunAt.UtcTicks / 10);
        Assert.Contains(JobEventKind.Rescheduled, (await job.GetHistoryAsync()).Select(e => e.Kind));
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_FailedJob_QueuesAgainWithFreshRetries(string provider)
    {
        var fail = true;
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("flaky", _ =>
            Volatile.Read(ref fail) ? throw new InvalidOperationException("down") : Task.CompletedTask, t => t.MaxRetries = 0));
        var job = await jobs.Client.ScheduleAsync("flaky");
        await Eventually.StatusAsync(job, JobStatus.Failed);
        Volatile.Write(ref fail, false);

        await job.RescheduleAsync(DateTimeOffset.UtcNow);
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.Equal(1, job.Attempt);
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_DuringExecution_RefusedAndExecutionResultKept(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("busy", _ => gate.Task));
        var job = await jobs.Client.ScheduleAsync("busy");
        await Eventually.StatusAsync(job, JobStatus.Executing);

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => job.RescheduleAsync(DateTimeOffset.UtcNow.AddHours(1)));
        gate.SetResult();
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.Equal(JobStatus.Executing, ex.CurrentStatus);
        Assert.Equal(JobStateProblem.NotApplicable, ex.Reason);
        Assert.Contains("executing", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task DeleteAsync_ExecutingJob_DeletesItAndWorkerDoesNotResurrectIt(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("busy", _ => gate.Task));
        var job = await jobs.Client.ScheduleAsync("busy");
        var marker = await jobs.Client.ScheduleAsync("busy", new JobScheduleOptions { Priority = -10 });
        await Eventually.StatusAsync(job, JobStatus.Executing);

        await job.DeleteAsync();
        gate.SetResult();
        await Eventually.StatusAsync(marker, JobStatus.Finished);

        await Assert.ThrowsAsync<JobNotFoundException>(() => jobs.Client.GetAsync(job.Id));
        var history = await jobs.Monitor.GetHistoryAsync(job.Id);
        Assert.Equal(JobEventKind.Destroyed, history[^1].Kind);
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_DeletedJob_ThrowsInvalidState(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var job = await jobs.Client.ScheduleAsync("x");
        await job.DeleteAsync();

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => job.RescheduleAsync(DateTimeOffset.UtcNow));

        Assert.Null(ex.CurrentStatus);
        Assert.Equal(JobStateProblem.Deleted, ex.Reason);
        Assert.Contains("deleted", ex.Message, StringComparison.Ordinal);
        Assert.Equal(JobStateProblem.Deleted, (await Assert.ThrowsAsync<InvalidJobStateException>(() => job.DeleteAsync())).Reason);
    }

    [Theory, AllProviders]
    public async Task DestroyAsync_FormerNameOfDeleteAsync_StillDeletesTheJob(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var job = await jobs.Client.ScheduleAsync("x");

#pragma warning disable CS0618 // The obsolete names are what this test pins: code written against them keeps working.
        await job.DestroyAsync();

        var ex = await Assert.ThrowsAsync<InvalidJobStateException>(() => job.DestroyAsync());
        Assert.Equal(JobStateProblem.Destroyed, ex.Reason);
#pragma warning restore CS0618
        await Assert.ThrowsAsync<JobNotFoundException>(() => jobs.Client.GetAsync(job.Id));
    }

    [Theory, AllProviders]
    public async Task Duration_FinishedJob_IsFinishedMinusStarted_AndStatusWasExecutingMeanwhile(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("timed", _ => gate.Task));
        var job = await jobs.Client.ScheduleAsync("timed");

        await Eventually.StatusAsync(job, JobStatus.Executing);
        Assert.NotNull(job.StartedAt);
        Assert.Null(job.FinishedAt);
        Assert.Null(job.Duration);
        Assert.Equal(jobs.Pool.Id, job.PoolId);
        // The claim commits a moment before the pool hands the job to a worker.
        await Eventually.TrueAsync(() => Task.FromResult(jobs.Pool.ExecutingCount == 1), "the pool reports the job as executing");
        Assert.Equal(1, (await jobs.Monitor.CountByStatusAsync())[JobStatus.Executing]);

        gate.SetResult();
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.NotNull(job.FinishedAt);
        Assert.True(job.FinishedAt >= job.StartedAt);
        Assert.Equal(job.FinishedAt - job.StartedAt, job.Duration);
        var stats = await jobs.Monitor.GetDurationStatsAsync("timed");
        Assert.Equal(1, stats.Count);
        Assert.Equal(job.Duration, stats.Max);
    }
}
