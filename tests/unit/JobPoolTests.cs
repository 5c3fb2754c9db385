using System.Collections.Concurrent;
using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests;

public sealed class JobPoolTests
{
    internal sealed record Item(int N);

    [Theory, AllProviders]
    public async Task Pool_TwoThousandJobsOnSixteenWorkers_EachHandlerRunsExactlyOnce(string provider)
    {
        var runs = new ConcurrentDictionary<int, int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Item>("count", (a, _) =>
        {
            runs.AddOrUpdate(a.N, 1, (_, c) => c + 1);
            return Task.CompletedTask;
        }), o => o.Pool.NumWorkers = 16);

        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 2000).Select(i => JobRequest.Create("count", new Item(i))));
        await Eventually.TrueAsync(async () => (await jobs.Monitor.CountByStatusAsync())[JobStatus.Finished] == 2000, "2000 finished jobs", TimeSpan.FromMinutes(2));

        Assert.Equal(2000, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    [Theory, AllProviders]
    public async Task Pool_ReadyJobs_RunByPriorityThenRunAtThenInsertionOrder(string provider)
    {
        var order = new ConcurrentQueue<int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Item>("ordered", (a, _) =>
        {
            order.Enqueue(a.N);
            return Task.CompletedTask;
        }), o => o.Pool.NumWorkers = 1, startPool: false);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        // (label, priority, run time): expected order is 1..6.
        (int N, int Priority, DateTimeOffset RunAt)[] specs =
        [
            (5, 0, t0.AddMinutes(1)), (3, 5, t0.AddMinutes(2)), (1, 9, t0.AddMinutes(3)),
            (6, 0, t0.AddMinutes(1)), (2, 5, t0.AddMinutes(1)), (4, 0, t0),
        ];
        foreach (var (n, priority, runAt) in specs)
        {
            await jobs.Client.ScheduleAsync("ordered", new Item(n), new JobScheduleOptions { Priority = priority, RunAt = runAt });
        }

        await jobs.Pool.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(order.Count == 6), "six jobs run");

        Assert.Equal([1, 2, 3, 4, 5, 6], order);
    }

    [Theory, AllProviders]
    public async Task Pool_JobWithFutureRunTime_StartsOnlyOnceItIsDue(string provider)
    {
        // Fake time: on a loaded machine a real 800 ms could pass before the early job is seen finished.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("due", _ => Task.CompletedTask),
            time: time);
        var runAt = time.GetUtcNow().AddSeconds(30);

        var job = await jobs.Client.ScheduleAsync("due", new JobScheduleOptions { RunAt = runAt });
        var early = await jobs.Client.ScheduleAsync("due", new JobScheduleOptions { Priority = -1 });
        await Eventually.StatusAsync(early, JobStatus.Finished);
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Queued, job.Status);
        time.Advance(TimeSpan.FromSeconds(30)); // Exactly its run time: due means run_at <= now.
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.True(job.StartedAt >= runAt, $"started {job.StartedAt:o} before its run time {runAt:o}");
    }

    [Theory, AllProviders]
    public async Task Pool_JobScheduledInSameProcess_StartsWithoutWaitingForPoll(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("fast", _ => Task.CompletedTask),
            o => o.Pool.MinWait = TimeSpan.FromHours(1));
        await Eventually.TrueAsync(async () => (await jobs.Monitor.GetPoolsAsync()).Count == 1, "pool announced");

        var job = await jobs.Client.ScheduleAsync("fast");

        // With an hour between polls, only the in-process signal can start it within the timeout.
        await Eventually.StatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(20));
    }

    [Theory, AllProviders]
    public async Task Pool_JobScheduledByAnotherProcess_PickedUpByPolling(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await using var worker = await JobsHarness.CreateAsync(db, b => b.AddJobType("remote", _ => Task.CompletedTask));
        await using var producer = await JobsHarness.CreateAsync(db, b => b.AddJobType("remote", _ => Task.CompletedTask), startPool: false);

        var job = await producer.Client.ScheduleAsync("remote");

        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Equal(worker.Pool.Id, job.PoolId);
    }

    [Theory, AllProviders]
    public async Task Pool_BatchSize_LimitsJobsClaimedPerStatement(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Item>("batched", (_, _) => Task.CompletedTask),
            o =>
            {
                o.Pool.NumWorkers = 20;
                o.Pool.BatchSize = 3;
            }, startPool: false);
        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 60).Select(i => JobRequest.Create("batched", new Item(i))));

        await jobs.Pool.StartAsync();
        await Eventually.TrueAsync(async () => (await jobs.Monitor.CountByStatusAsync())[JobStatus.Finished] == 60, "60 finished");

        // A claim stamps its Started events with one time; each claim holds at most BatchSize jobs.
        var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (db)
        {
            var perClaim = await db.JobEvents.Where(e => e.Kind == JobEventKind.Started).GroupBy(e => e.At).Select(g => g.Count()).ToListAsync();
            Assert.Equal(60, perClaim.Sum());
            Assert.All(perClaim, c => Assert.InRange(c, 1, 3));
            Assert.Contains(3, perClaim);
        }
    }

    [Theory, AllProviders]
    public async Task Pool_TypeNotRegisteredHere_NeverClaimed(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await using var producer = await JobsHarness.CreateAsync(db, b => b.AddJobType("mine", _ => Task.CompletedTask).AddJobType("theirs", _ => Task.CompletedTask), startPool: false);
        var theirs = await producer.Client.ScheduleAsync("theirs", new JobScheduleOptions { Priority = 10 });
        var mine = await producer.Client.ScheduleAsync("mine");

        await using var worker = await JobsHarness.CreateAsync(db, b => b.AddJobType("mine", _ => Task.CompletedTask));
        await Eventually.StatusAsync(mine, JobStatus.Finished);

        await theirs.RefreshAsync();
        Assert.Equal(JobStatus.Queued, theirs.Status);
        Assert.Equal(0, theirs.Attempt);
    }

    [Theory, AllProviders]
    public async Task Pool_QueuesOption_ServesOnlyThoseQueues(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("q", _ => Task.CompletedTask),
            o => o.Pool.Queues.Add("fast"));

        var other = await jobs.Client.ScheduleAsync("q", new JobScheduleOptions { Queue = "slow", Priority = 10 });
        var served = await jobs.Client.ScheduleAsync("q", new JobScheduleOptions { Queue = "fast" });
        await Eventually.StatusAsync(served, JobStatus.Finished);

        await other.RefreshAsync();
        Assert.Equal(JobStatus.Queued, other.Status);
    }

    [Theory, AllProviders]
    public async Task StopAsync_RunningJobEndsWithinGrace_FinishesAndPoolIsRemoved(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("graceful", _ =>
        {
            started.SetResult();
            return gate.Task;
        }), o => o.Pool.ShutdownTimeout = TimeSpan.FromMinutes(1));
        var job = await jobs.Client.ScheduleAsync("graceful");
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        var stopping = jobs.Pool.StopAsync();
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping;
        await jobs.Pool.WaitAsync();

        await job.RefreshAsync();
        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Empty(await jobs.Monitor.GetPoolsAsync());
    }

    [Theory, AllProviders]
    public async Task StopAsync_JobOutlivesGrace_CancelledAndReleasedToAnotherPoolAtOnce(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var tokenCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var first = await JobsHarness.CreateAsync(db, b => b.AddJobType("long", async ctx =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                tokenCancelled.TrySetResult();
                throw;
            }
        }), o => o.Pool.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        var job = await first.Client.ScheduleAsync("long");
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        await first.Pool.StopAsync();

        Assert.True(tokenCancelled.Task.IsCompleted);
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(JobEventKind.Released, (await job.GetHistoryAsync())[^1].Kind);

        // StaleTimeout is an hour: only an immediate release lets the second pool run it now.
        await using var second = await JobsHarness.CreateAsync(db, b => b.AddJobType("long", _ => Task.CompletedTask),
            o => o.Pool.StaleTimeout = TimeSpan.FromHours(1));
        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Equal(second.Pool.Id, job.PoolId);
        Assert.Equal(1, job.Attempt);
    }

    [Theory, AllProviders]
    public async Task HostedService_GenericHost_RunsPoolAndStopsWithHost(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(o =>
        {
            db(o);
            o.Pool.MinWait = TimeSpan.FromMilliseconds(50);
        }).AddJobType("hosted", _ => Task.CompletedTask);
        using var host = builder.Build();

        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();
        var job = await client.ScheduleAsync("hosted");
        await Eventually.StatusAsync(job, JobStatus.Finished);
        var pool = host.Services.GetRequiredService<JobPool>();
        Assert.True(pool.IsRunning);
        await host.StopAsync();

        Assert.False(pool.IsRunning);
        Assert.True(pool.WaitAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task StartAsync_OptionOutOfRange_FailsNamingOptionAndRange()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobs(o => o.Pool.NumWorkers = 0).AddJobType("x", _ => Task.CompletedTask);
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.GetRequiredService<JobPool>().StartAsync());

        Assert.Contains("Jobs:Pool:NumWorkers must be between 1 and 1024 (was 0)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_StaleTimeoutShorterThanTwoHeartbeats_FailsOnStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(o =>
        {
            o.Pool.HeartbeatInterval = TimeSpan.FromSeconds(10);
            o.Pool.StaleTimeout = TimeSpan.FromSeconds(15);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jobs:Pool:StaleTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobs_ConfigurationSection_BindsOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Pool:NumWorkers"] = "3",
            ["Jobs:Pool:MinWait"] = "00:00:02",
            ["Jobs:Pool:Queues:0"] = "mail",
            ["Jobs:Database:ConnectionString"] = "Data Source=bound.db",
            ["Jobs:Database:SqliteSynchronous"] = "Normal",
        }).Build());
        services.AddJobs(o => o.Pool.BatchSize = 7);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;

        Assert.Equal(3, options.Pool.NumWorkers);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Pool.MinWait);
        Assert.Equal(["mail"], options.Pool.Queues);
        Assert.Equal(7, options.Pool.BatchSize);
        Assert.Equal("Data Source=bound.db", options.Database.ConnectionString);
        Assert.Equal(SqliteSynchronousMode.Normal, options.Database.SqliteSynchronous);
    }

    [Fact]
    public async Task StartAsync_JobTypeRegisteredTwice_FailsNamingType()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobs().AddJobType("twice", _ => Task.CompletedTask).AddJobType("twice", _ => Task.CompletedTask);
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<JobPool>().StartAsync());

        Assert.Contains("'twice' is registered more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SqliteDefaults_WalJournalAndFullSynchronous()
    {
        var db = await TestDatabases.CreateAsync("sqlite");
        await using var jobs = await JobsHarness.CreateAsync(db, b => b.AddJobType("x", _ => Task.CompletedTask));
        var context = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (context)
        {
            await context.Database.OpenConnectionAsync();
            var connection = context.Database.GetDbConnection();
            Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
            Assert.Equal("2", await ScalarAsync(connection, "PRAGMA synchronous")); // 2 = FULL
        }
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
