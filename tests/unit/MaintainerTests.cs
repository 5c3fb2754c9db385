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
        var firstLogs = new CapturingLoggerProvider();
        var first = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", async ctx =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        }), extra: s => s.AddLogging(l => l.AddProvider(firstLogs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Information)));
        var secondLogs = new CapturingLoggerProvider();
        await using var second = await JobsHarness.CreateAsync(database, b => b.AddJobType("work", _ => Task.CompletedTask),
            o => o.Pool.NumWorkers = 1, startPool: false, extra: s => s.AddLogging(l => l.AddProvider(secondLogs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Information)));
        Job job;
        try
        {
            job = await first.Client.ScheduleAsync("work");
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await second.Pool.StartAsync();
            await Eventually.TrueAsync(() => Task.FromResult(firstLogs.Entries.Any(e => e.Id.Id == LeaderElected)), "the first pool to lead");

            Assert.DoesNotContain(secondLogs.Entries, e => e.Id.Id == LeaderElected);
            await first.Pool.Runtime.AbandonAsync(); // As if the process were killed: its row goes stale.
        }
        finally
        {
            await first.Services.DisposeAsync();
        }

        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Contains(secondLogs.Entries, e => e.Id.Id == LeaderElected);
        Assert.Equal(second.Pool.Id, job.PoolId);
        Assert.Contains(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescued);
    }
}
