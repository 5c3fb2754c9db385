using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests;

public sealed class RescuerTests
{
    [Theory, AllProviders]
    public async Task Rescuer_PoolStopsBeating_AnotherPoolRequeuesAndRunsItsJob(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var crashed = await JobsHarness.CreateAsync(db, b => b.AddJobType("work", async ctx =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        }), time: time);
        var job = await crashed.Client.ScheduleAsync("work");
        await started.Task.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.StatusAsync(job, JobStatus.Executing);

        await crashed.Pool.Runtime.AbandonAsync(); // As if the process were killed: no release, no goodbye.
        await using var survivor = await JobsHarness.CreateAsync(db, b => b.AddJobType("work", _ => Task.CompletedTask), time: time);
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Executing, job.Status); // Not stale yet.

        time.Advance(TimeSpan.FromSeconds(6)); // StaleTimeout is 5 s in the harness.
        await KeepTimeMovingUntilAsync(time, job, JobStatus.Finished);

        Assert.Equal(survivor.Pool.Id, job.PoolId);
        Assert.Equal(2, job.Attempt);
        var rescued = Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescued);
        Assert.Contains(crashed.Pool.Id, rescued.Message, StringComparison.Ordinal);
        Assert.Equal(survivor.Pool.Id, Assert.Single(await survivor.Monitor.GetPoolsAsync()).Id);
    }

    [Theory, AllProviders]
    public async Task Rescuer_DeadPoolJobWithoutRetriesLeft_FailsWithPoolLostError(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var crashed = await JobsHarness.CreateAsync(db, b => b.AddJobType("once", ctx => Task.Delay(Timeout.Infinite, ctx.CancellationToken), t => t.MaxRetries = 0), time: time);
        var job = await crashed.Client.ScheduleAsync("once");
        await Eventually.StatusAsync(job, JobStatus.Executing);
        await crashed.Pool.Runtime.AbandonAsync();

        await using var survivor = await JobsHarness.CreateAsync(db, b => b.AddJobType("once", _ => Task.CompletedTask, t => t.MaxRetries = 0), time: time);
        time.Advance(TimeSpan.FromSeconds(6));
        await KeepTimeMovingUntilAsync(time, job, JobStatus.Failed);

        Assert.EndsWith("PoolLostException", job.LastError!.Type, StringComparison.Ordinal);
        Assert.Contains(crashed.Pool.Id, job.LastError.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Heartbeat_ClaimCommittedButItsReplyLost_JobReleasedToTheQueue(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("stray", _ => Task.CompletedTask));
        var job = await jobs.Client.ScheduleAsync("stray", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });

        // The claim commits under the pool's id, but the pool never hears back (as when the connection breaks at COMMIT).
        var driver = jobs.Services.GetRequiredService<IJobDriver>();
        var (_, claimed) = await driver.ClaimReadyAsync(new ClaimRequest(["default"], ["stray"], 1, jobs.Pool.Id), DateTime.UtcNow.AddHours(2), CancellationToken.None);
        Assert.Equal(job.Id, Assert.Single(claimed).Id);

        await Eventually.TrueAsync(async () => (await job.GetHistoryAsync()).Any(e => e.Kind == JobEventKind.Released), "the stray claim to be released");
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.PoolId);
        var released = Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Released);
        Assert.Contains("the reply to the claim was lost", released.Message, StringComparison.Ordinal);
    }

    /// <summary>The survivor's heartbeat timer may be armed just after an advance; keep the fake clock moving in heartbeat-sized steps.</summary>
    private static Task KeepTimeMovingUntilAsync(FakeTimeProvider time, Job job, JobStatus status)
        => Eventually.TrueAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(200));
            await job.RefreshAsync();
            return job.Status == status;
        }, () => $"job {job.Id} to be {status} (is {job.Status})");
}
