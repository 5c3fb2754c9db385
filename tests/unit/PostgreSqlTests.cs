using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.Tests;

/// <summary>What only PostgreSQL does: xmin as the version, LISTEN/NOTIFY wake-ups, and a pool cut off from a database
/// that others still reach (through a TCP proxy the test cuts).</summary>
public sealed class PostgreSqlTests
{
    [PostgresFact]
    public async Task Version_PostgreSql_IsTheRowsXminAndMovesOnEveryWrite()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        await using var jobs = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);

        var job = await jobs.Client.ScheduleAsync("x");
        var first = job.Version;
        Assert.Equal(await ScalarAsync(cs, $"SELECT xmin::text::bigint FROM jobs WHERE id = {job.Id}"), first);
        await job.RescheduleAsync(DateTimeOffset.UtcNow.AddHours(1));

        Assert.NotEqual(first, job.Version);
        Assert.Equal(await ScalarAsync(cs, $"SELECT xmin::text::bigint FROM jobs WHERE id = {job.Id}"), job.Version);
        Assert.Equal(0, await ScalarAsync(cs, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = 'version'"));
    }

    [PostgresFact]
    public async Task Notify_JobScheduledByAnotherProcess_WakesIdlePoolWithoutPolling()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        await using var worker = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("remote", _ => Task.CompletedTask),
            o => o.Pool.MinWait = TimeSpan.FromHours(1));
        await WaitForListenerAsync(cs, previous: null);
        await using var producer = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("remote", _ => Task.CompletedTask), startPool: false);

        var job = await producer.Client.ScheduleAsync("remote");

        // With an hour between polls, only the notification can start it within the timeout.
        await Eventually.StatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(20));
        Assert.Equal(worker.Pool.Id, job.PoolId);
    }

    [PostgresFact]
    public async Task Notify_ListenerConnectionKilled_ReconnectsAndWakesPoolAgain()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        await using var worker = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("remote", _ => Task.CompletedTask),
            o => o.Pool.MinWait = TimeSpan.FromHours(1));
        var listener = await WaitForListenerAsync(cs, previous: null);

        await ScalarAsync(cs, $"SELECT count(*) FROM (SELECT pg_terminate_backend({listener})) t");
        await WaitForListenerAsync(cs, previous: listener);
        await using var producer = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("remote", _ => Task.CompletedTask), startPool: false);
        var job = await producer.Client.ScheduleAsync("remote");

        await Eventually.StatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(20));
    }

    [PostgresFact]
    public async Task StartAsync_DatabaseUnreachable_PoolStartsAndRunsJobsOnceTheDatabaseAnswers()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        await using var proxy = Proxy(cs, startCut: true);
        await using var pool = await JobsHarness.CreateAsync(Direct(Via(proxy, cs)), b => b.AddJobType("later", _ => Task.CompletedTask));
        Assert.True(pool.Pool.IsRunning);
        await using var producer = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType("later", _ => Task.CompletedTask), startPool: false);
        var job = await producer.Client.ScheduleAsync("later");

        proxy.Restore();

        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Equal(pool.Pool.Id, job.PoolId);
        // The pool claims only once its row exists: a job under a pool without one is an orphan that other pools rescue.
        Assert.Contains(await producer.Monitor.GetPoolsAsync(), p => p.Id == pool.Pool.Id);
        Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Started);
    }

    [PostgresFact]
    public async Task Partition_PoolCutOffFromDatabase_CancelsItsJobBeforeAnotherPoolRescuesIt()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        await using var proxy = Proxy(cs, startCut: false);
        var cancelledAt = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rerunAt = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<IJobsBuilder> types = b => b.AddJobType("p", async ctx =>
        {
            if (ctx.Attempt > 1)
            {
                rerunAt.TrySetResult(DateTime.UtcNow);
                return;
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelledAt.TrySetResult(DateTime.UtcNow);
                throw;
            }
        });
        Action<JobsOptions> timing = o =>
        {
            o.Pool.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            o.Pool.StaleTimeout = TimeSpan.FromSeconds(5);
        };
        await using var cutOff = await JobsHarness.CreateAsync(Direct(Via(proxy, cs)), types, timing);
        var job = await cutOff.Client.ScheduleAsync("p");
        await Eventually.StatusAsync(job, JobStatus.Executing);
        await using var healthy = await JobsHarness.CreateAsync(Direct(cs), types, timing);

        proxy.Cut();
        var cancelled = await cancelledAt.Task.WaitAsync(Eventually.DefaultTimeout);
        var rerun = await rerunAt.Task.WaitAsync(Eventually.DefaultTimeout);
        cutOff.Signals.Beat.Init(); // Only beats after the database is back count.
        proxy.Restore();

        Assert.True(cancelled < rerun, $"the cut-off pool cancelled its attempt at {cancelled:o}, after the rescued attempt started at {rerun:o}");
        var seen = await healthy.Client.GetAsync(job.Id);
        await Eventually.StatusAsync(seen, JobStatus.Finished);
        Assert.Equal(healthy.Pool.Id, seen.PoolId);
        Assert.Equal(2, seen.Attempt);

        // Back on the database, the cut-off pool announces itself again; its stale outcome does not overwrite the rescue.
        await cutOff.Signals.Beat.WaitAsync(Eventually.DefaultTimeout);
        Assert.Contains(await healthy.Monitor.GetPoolsAsync(), p => p.Id == cutOff.Pool.Id);
        await seen.RefreshAsync();
        Assert.Equal(JobStatus.Finished, seen.Status);
        Assert.Single(await seen.GetHistoryAsync(), e => e.Kind == JobEventKind.Rescued);
    }

    [PostgresFact]
    public async Task Search_DatabaseWithCLocale_IgnoresCaseOfNonAsciiLettersThroughAnotherCollation()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres, "TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'");
        await using var jobs = await JobsHarness.CreateAsync(Direct(cs), b => b.AddJobType<Note>("p", (_, _) => Task.CompletedTask), startPool: false);
        var uber = await jobs.Client.ScheduleAsync("p", new Note("Über den Wolken"));
        await jobs.Client.ScheduleAsync("p", new Note("uber"));

        var found = await jobs.Monitor.ListAsync(new JobQuery { Search = "über" });

        // The database's own LOWER() leaves Ü as it is: the search does not rely on it.
        Assert.Equal(0, await ScalarAsync(cs, "SELECT count(*) FROM jobs WHERE lower(payload) LIKE '%über%'"));
        Assert.Equal([uber.Id], found.Items.Select(j => j.Id));
        Assert.Equal([uber.Id], (await jobs.Monitor.ListAsync(new JobQuery { Search = "WOLKEN" })).Items.Select(j => j.Id));
    }

    internal sealed record Note(string Text);

    private static Action<JobsOptions> Direct(string cs) => o =>
    {
        o.UseNpgsql(cs);
        o.Database.AutoMigrate = true;
    };

    private static TcpProxy Proxy(string cs, bool startCut)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return new TcpProxy(b.Host!, b.Port, startCut);
    }

    private static string Via(TcpProxy proxy, string cs)
        => new NpgsqlConnectionStringBuilder(cs) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;

    /// <summary>Waits until a pool of this database listens for wake-ups on a connection other than <paramref name="previous"/>.</summary>
    private static async Task<long> WaitForListenerAsync(string cs, long? previous)
    {
        long pid = 0;
        await Eventually.TrueAsync(async () =>
        {
            pid = await ScalarAsync(cs,
                "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jobs-listener' " +
                $"AND query LIKE 'LISTEN%' AND pid <> {previous ?? 0}");
            return pid != 0;
        }, "a wake-up listener");
        return pid;
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
