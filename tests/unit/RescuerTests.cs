using Jobs.Diagnostics;
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
        var crashedClock = new StallableClock(time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var testOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crashed = await JobsHarness.CreateAsync(db, b => b.AddJobType("work", async ctx =>
        {
            started.TrySetResult();
            await testOver.Task.WaitAsync(ctx.CancellationToken);
        }), time: crashedClock);
        try
        {
            var job = await crashed.Client.ScheduleAsync("work");
            await started.Task.WaitAsync(Eventually.DefaultTimeout);
            await Eventually.StatusAsync(job, JobStatus.Executing);

            crashedClock.Stall(); // As if the process stopped dead: no beat, no release, no goodbye.
            await using var survivor = await JobsHarness.CreateAsync(db, b => b.AddJobType("work", _ => Task.CompletedTask), time: time, startPool: false);
            InitRescueSignals(survivor.Signals);
            await survivor.Pool.StartAsync();
            await job.RefreshAsync();
            Assert.Equal(JobStatus.Executing, job.Status); // Not stale yet.

            await AdvanceUntilRescuedAsync(time, survivor.Signals);
            await survivor.Signals.Stored.WaitAsync(stored => stored > 0, Eventually.DefaultTimeout); // The rescued attempt ran.

            await job.RefreshAsync();
            Assert.Equal(JobStatus.Finished, job.Status);
            Assert.Equal(survivor.Pool.Id, job.PoolId);
            Assert.Equal(2, job.Attempt);
            var rescued = Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescued);
            Assert.Contains(crashed.Pool.Id, rescued.Message, StringComparison.Ordinal);
            Assert.Equal(survivor.Pool.Id, Assert.Single(await survivor.Monitor.GetPoolsAsync()).Id);
        }
        finally
        {
            // Its handler returns only now, so that the stalled pool can be stopped: its late outcome loses to the rescue.
            testOver.TrySetResult();
            await crashed.DisposeAsync();
        }
    }

    [Theory, AllProviders]
    public async Task Rescuer_DeadPoolJobWithoutRetriesLeft_FailsWithPoolLostError(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var crashedClock = new StallableClock(time);
        var testOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crashed = await JobsHarness.CreateAsync(db, b => b.AddJobType("once", ctx => testOver.Task.WaitAsync(ctx.CancellationToken), t => t.MaxRetries = 0), time: crashedClock);
        try
        {
            var job = await crashed.Client.ScheduleAsync("once");
            await Eventually.StatusAsync(job, JobStatus.Executing);
            crashedClock.Stall();

            await using var survivor = await JobsHarness.CreateAsync(db, b => b.AddJobType("once", _ => Task.CompletedTask, t => t.MaxRetries = 0), time: time, startPool: false);
            InitRescueSignals(survivor.Signals);
            await survivor.Pool.StartAsync();
            await AdvanceUntilRescuedAsync(time, survivor.Signals);

            await job.RefreshAsync();
            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.EndsWith("PoolLostException", job.LastError!.Type, StringComparison.Ordinal);
            Assert.Contains(crashed.Pool.Id, job.LastError.Message, StringComparison.Ordinal);
        }
        finally
        {
            testOver.TrySetResult();
            await crashed.DisposeAsync();
        }
    }

    [Theory, AllProviders]
    public async Task Heartbeat_ClaimCommittedButItsReplyLost_JobReleasedToTheQueue(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("stray", _ => Task.CompletedTask));
        var job = await jobs.Client.ScheduleAsync("stray", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });

        // The claim commits under the pool's id, but the pool never hears back (as when the connection breaks at COMMIT).
        var driver = jobs.Services.GetRequiredService<IJobDriver>();
        var claimed = await driver.ClaimReadyAsync(new ClaimRequest(["default"], ["stray"], 1, jobs.Pool.Id), DateTime.UtcNow.AddHours(2), CancellationToken.None);
        Assert.Equal(job.Id, Assert.Single(claimed).Id);

        await Eventually.TrueAsync(async () => (await job.GetHistoryAsync()).Any(e => e.Kind == JobEventKind.Released), "the stray claim to be released");
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.PoolId);
        var released = Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Released);
        Assert.Contains("the reply to the claim was lost", released.Message, StringComparison.Ordinal);
    }

    private static void InitRescueSignals(TestSignals signals)
    {
        signals.HeartbeatWaiting.Init();
        signals.MaintainerWaiting.Init();
        signals.Rescued.Init();
        signals.Stored.Init();
    }

    /// <summary>Moves the fake clock one heartbeat interval at a time, each once the survivor's heartbeat and maintainer have
    /// both armed their wait: every step then fires exactly one beat and one leader check, and the dead pool's jobs are
    /// rescued in the step after its last beat is StaleTimeout old (5 s in the harness, about 26 steps).</summary>
    private static async Task AdvanceUntilRescuedAsync(FakeTimeProvider time, TestSignals signals)
    {
        for (var step = 0; step < 100; step++)
        {
            await signals.HeartbeatWaiting.WaitAsync(Eventually.DefaultTimeout);
            await signals.MaintainerWaiting.WaitAsync(Eventually.DefaultTimeout);
            var rescued = false;
            while (signals.Rescued.TryTake(out var changed))
            {
                rescued |= changed > 0;
            }

            if (rescued)
            {
                return;
            }

            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Fail("The survivor did not rescue the dead pool's job within 100 heartbeat intervals.");
    }
}
