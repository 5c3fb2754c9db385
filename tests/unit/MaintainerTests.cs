using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests;

public sealed class MaintainerTests
{
    private const int LeaderElected = 3003;

    [Theory, AllProviders]
    public async Task Maintainer_LeaderCrashes_NextPoolLeadsAndRescuesTheLeadersJob(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var testOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstClock = new StallableClock(TimeProvider.System);
        var firstLogs = new CapturingLoggerProvider();
        var first = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", async ctx =>
        {
            started.TrySetResult();
            await testOver.Task.WaitAsync(ctx.CancellationToken);
        }), time: firstClock, startPool: false,
            extra: s => s.AddLogging(l => l.AddProvider(firstLogs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Information)));
        try
        {
            var secondLogs = new CapturingLoggerProvider();
            await using var second = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", _ => Task.CompletedTask),
                o => o.Pool.NumWorkers = 1, startPool: false, extra: s => s.AddLogging(l => l.AddProvider(secondLogs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Information)));
            first.Signals.LeaderChecked.Init();
            second.Signals.Rescued.Init();
            second.Signals.Stored.Init();
            await first.Pool.StartAsync();
            var job = await first.Client.ScheduleAsync("work");
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await first.Signals.LeaderChecked.WaitAsync(leads => leads, Eventually.DefaultTimeout);
            await second.Pool.StartAsync(); // Only now: the lease goes to whoever asks first, and this test needs the first pool to lead.

            Assert.Contains(firstLogs.Entries, e => e.Id.Id == LeaderElected);
            Assert.DoesNotContain(secondLogs.Entries, e => e.Id.Id == LeaderElected);
            firstClock.Stall(); // As if the process stopped dead: its row goes stale, it releases nothing.

            await second.Signals.Rescued.WaitAsync(changed => changed > 0, Eventually.DefaultTimeout);
            await second.Signals.Stored.WaitAsync(stored => stored > 0, Eventually.DefaultTimeout); // The rescued attempt ran.
            await job.RefreshAsync();
            Assert.Equal(JobStatus.Finished, job.Status);
            Assert.Contains(secondLogs.Entries, e => e.Id.Id == LeaderElected);
            Assert.Equal(second.Pool.Id, job.PoolId);
            Assert.Contains(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescued);
        }
        finally
        {
            // Its handler returns only now, so that the stalled pool can be stopped: its late outcome loses to the rescue.
            testOver.TrySetResult();
            await first.DisposeAsync();
        }
    }

    [Theory, AllProviders]
    public async Task Maintainer_LeaderStopsCleanly_ResignsAndTheNextPoolLeadsWithoutWaitingForTheLease(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        // A lease of ten minutes: were it not given up, the second pool could not lead within the test's wait.
        Action<JobsOptions> longLease = o => o.Pool.StaleTimeout = TimeSpan.FromMinutes(10);
        var first = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", _ => Task.CompletedTask), longLease, startPool: false);
        await using var second = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", _ => Task.CompletedTask), longLease, startPool: false);
        first.Signals.LeaderChecked.Init();
        second.Signals.LeaderChecked.Init();
        await first.Pool.StartAsync();
        await first.Signals.LeaderChecked.WaitAsync(leads => leads, Eventually.DefaultTimeout);
        await second.Pool.StartAsync();
        await second.Signals.LeaderChecked.WaitAsync(leads => !leads, Eventually.DefaultTimeout);

        await first.DisposeAsync();

        await second.Signals.LeaderChecked.WaitAsync(leads => leads, Eventually.DefaultTimeout);
    }
}
