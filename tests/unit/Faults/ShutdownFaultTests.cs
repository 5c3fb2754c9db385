using Jobs.Tests.Infrastructure;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Faults;

/// <summary>A stop is bounded whatever handlers do, and a handler that ignores its token cannot change what the stop did.</summary>
public sealed class ShutdownFaultTests
{
    [Theory, AllProviders]
    public async Task StopAsync_HandlerIgnoresItsToken_ReturnsWithoutItAndTheJobIsReleased(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new CapturingLoggerProvider();
        var stubborn = await JobsHarness.CreateAsync(database, b => b.AddJobType("stubborn", async _ =>
        {
            started.TrySetResult();
            await letGo.Task; // Ignores its cancellation token on purpose.
        }), o => o.Pool.ShutdownTimeout = TimeSpan.FromMilliseconds(100),
            extra: s => s.AddLogging(l => l.AddProvider(logs)));
        Job job;
        try
        {
            job = await stubborn.Client.ScheduleAsync("stubborn");
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await stubborn.Pool.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.False(letGo.Task.IsCompleted);
            await job.RefreshAsync();
            Assert.Equal(JobStatus.Queued, job.Status);
            Assert.Equal(0, job.Attempt);

            // The handler returns late: its success is dropped, and the released job stays as the stop left it.
            letGo.SetResult();
            await Eventually.TrueAsync(() => Task.FromResult(logs.Entries.Any(e => e.Id.Id == 2012)), "the late outcome to be dropped");
            await job.RefreshAsync();
            Assert.Equal(JobStatus.Queued, job.Status);
        }
        finally
        {
            letGo.TrySetResult();
            await stubborn.DisposeAsync();
        }

        // Another pool runs the released job once.
        var runs = 0;
        await using var next = await JobsHarness.CreateAsync(database, b => b.AddJobType("stubborn", _ =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }));
        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Equal(1, runs);
        var history = await job.GetHistoryAsync();
        Assert.Equal([JobEventKind.Scheduled, JobEventKind.Started, JobEventKind.Released, JobEventKind.Started, JobEventKind.Succeeded],
            history.Select(e => e.Kind).ToArray());
    }

    [PostgresFact]
    public async Task StopAsync_DatabaseCutWhileAJobRuns_ReturnsAndLeavesTheJobToBeRescued()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        var target = new NpgsqlConnectionStringBuilder(cs);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(cs) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(o =>
        {
            o.UseNpgsql(viaProxy);
            o.Database.AutoMigrate = true;
        }, b => b.AddJobType("long", async ctx =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        }), o => o.Pool.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        var job = await jobs.Client.ScheduleAsync("long");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        proxy.Cut();
        // The release cannot be stored: the stop gives up after its bound instead of retrying for ever.
        await jobs.Pool.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await using var direct = await JobsHarness.CreateAsync(o => o.UseNpgsql(cs), b => b.AddJobType("long", _ => Task.CompletedTask), startPool: false);
        var seen = await direct.Client.GetAsync(job.Id);
        Assert.Equal(JobStatus.Executing, seen.Status); // Under the stopped pool's row, which goes stale: another pool rescues it.
        Assert.Contains(await direct.Monitor.GetPoolsAsync(), p => p.Id == jobs.Pool.Id);
    }
}
