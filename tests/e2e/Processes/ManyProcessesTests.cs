using System.Globalization;
using Xunit.Abstractions;

namespace Jobs.E2E.Processes;

/// <summary>Real worker processes (tests/worker) on one database: each job claimed once, crashes recovered by rescue,
/// a database outage ridden out. PostgreSQL runs on a cluster these tests own, so stopping it disturbs no other suite.</summary>
public sealed class ManyProcessesTests(PostgresServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>
{
    private const int JobCount = 20_000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task FourPostgresProcesses_TwentyThousandJobs_EveryJobRunsExactlyOnce()
    {
        await using var db = await LedgerDatabase.CreateAsync("postgres", await postgres.CreateDatabaseAsync());
        var ids = await db.ScheduleAsync(JobCount);
        var workers = await StartWorkersAsync(db, 4, staleTimeout: TimeSpan.FromSeconds(30), heartbeat: TimeSpan.FromSeconds(1));
        try
        {
            await db.WaitForFinishedAsync(JobCount, DrainTimeout, () => Describe(workers));
            var claims = await StopAllAsync(workers);

            var ledger = await db.LedgerAsync();
            AssertEveryJobRan(ids, ledger);
            var twice = ledger.GroupBy(r => r.JobId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} jobs ran more than once, e.g. {string.Join(", ", twice.Take(10))}");
            Assert.All(workers, w => Assert.Contains(ledger, r => r.Process == w.Name));
            Assert.All(workers, w => Assert.Empty(w.Problems));

            // No crash, no outage: each job was claimed exactly once across the four processes (the engine's own count).
            Assert.Equal(JobCount, claims);
        }
        finally
        {
            await DisposeAllAsync(workers);
        }
    }

    [Fact]
    public async Task FourPostgresProcesses_OneKilledMidRun_EveryJobFinishesAndOnlyItsExecutingJobsRunAgain()
    {
        var staleTimeout = TimeSpan.FromSeconds(5);
        await using var db = await LedgerDatabase.CreateAsync("postgres", await postgres.CreateDatabaseAsync());
        var ids = await db.ScheduleAsync(JobCount);
        var workers = await StartWorkersAsync(db, 4, staleTimeout, heartbeat: TimeSpan.FromMilliseconds(500));
        try
        {
            await db.WaitForFinishedAsync(JobCount, DrainTimeout, () => Describe(workers), atLeast: JobCount / 4);
            // The victim is the maintenance leader (the holder of the maintenance lease): another pool must take the lease
            // once it expires and rescue the victim's jobs.
            const string leaseHolderSql = "SELECT holder FROM job_leases WHERE name = 'maintenance' AND holder IS NOT NULL";
            await WaitUntilAsync(async () => (await db.TextsAsync(leaseHolderSql)).Count == 1, "a pool to hold the maintenance lease");
            var leaderId = (await db.TextsAsync(leaseHolderSql)).Single();
            var victim = workers.Single(w => w.PoolId == leaderId);
            var executingSql = $"SELECT id FROM jobs WHERE status = 1 AND pool_id = '{victim.PoolId}'";
            await WaitUntilAsync(async () => (await db.IdsAsync(executingSql)).Count > 0, $"{victim.Name} to be executing jobs");
            victim.Kill();
            var killedAt = DateTime.UtcNow;

            // The server notices the dead connections (a COMMIT already sent may still land); then the rows are final.
            await WaitUntilAsync(async () => (await db.IdsAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{victim.Name}'"))[0] == 0,
                "the killed process's sessions to end");
            var executing = (await db.IdsAsync(executingSql)).ToHashSet();
            var lastBeat = (await db.IdsAsync(
                $"SELECT (extract(epoch FROM heartbeat_at) * 1000)::bigint FROM job_pools WHERE id = '{victim.PoolId}'")).Select(ms => DateTime.UnixEpoch.AddMilliseconds(ms)).ToList();
            Assert.True(executing.Count > 0 && lastBeat.Count == 1,
                $"{executing.Count} jobs executing under the killed pool, {lastBeat.Count} pool rows, {DateTime.UtcNow - killedAt} after the kill; by pool: " +
                string.Join(", ", await db.IdsAsync("SELECT count(*) FROM jobs WHERE status = 1 GROUP BY pool_id")) + "\n" + Describe(workers));

            await db.WaitForFinishedAsync(JobCount, DrainTimeout, () => Describe(workers));
            var survivors = workers.Where(w => w != victim).ToList();
            var newLeader = (await db.TextsAsync(leaseHolderSql)).Single(); // Its jobs were rescued: someone took the lease over.
            Assert.Contains(survivors, w => w.PoolId == newLeader);
            var claims = await StopAllAsync(survivors);

            var ledger = await db.LedgerAsync();
            AssertEveryJobRan(ids, ledger);

            // Exactly the jobs the killed process was executing were rescued, and not before StaleTimeout.
            var rescued = await db.IdsAsync($"SELECT job_id FROM job_events WHERE kind = {(int)JobEventKind.Rescued} ORDER BY job_id");
            Assert.Equal(executing.Order(), rescued);
            var firstRescue = (await db.IdsAsync(
                $"SELECT (extract(epoch FROM min(at)) * 1000)::bigint FROM job_events WHERE kind = {(int)JobEventKind.Rescued}"))[0];
            var rescuedAt = DateTime.UnixEpoch.AddMilliseconds(firstRescue);
            var rescuedAfter = rescuedAt - killedAt;
            Assert.True(rescuedAt - lastBeat[0] >= staleTimeout,
                $"rescued {rescuedAt - lastBeat[0]} after the killed pool's last heartbeat; StaleTimeout is {staleTimeout}");

            // Those that had reached their handler ran twice: first in the killed process, then the next attempt elsewhere.
            // No other job ran twice.
            var twice = ledger.GroupBy(r => r.JobId).Where(g => g.Count() > 1).ToList();
            Assert.All(twice, g =>
            {
                Assert.Contains(g.Key, executing);
                var runs = g.ToList();
                Assert.Equal(2, runs.Count);
                Assert.Equal(victim.Name, runs[0].Process);
                Assert.NotEqual(victim.Name, runs[1].Process);
                Assert.Equal(runs[0].Attempt + 1, runs[1].Attempt);
            });
            var startedTwice = await db.IdsAsync($"SELECT job_id FROM job_events WHERE kind = {(int)JobEventKind.Started} GROUP BY job_id HAVING count(*) > 1");
            Assert.All(startedTwice, id => Assert.Contains(id, executing));

            output.WriteLine($"killed {victim.Name} ({victim.PoolId}) with {executing.Count} jobs executing; rescued after {rescuedAfter}; " +
                $"{twice.Count} of them had run their handler and ran again: " +
                string.Join("; ", twice.Select(g => $"job {g.Key}: " + string.Join(", ", g.Select(r => $"attempt {r.Attempt} in {r.Process}")))));
            output.WriteLine($"{claims} claims by the survivors");
        }
        finally
        {
            await DisposeAllAsync(workers);
        }
    }

    [Fact]
    public async Task FourPostgresProcesses_DatabaseStoppedTenSeconds_PoolsRecoverAndNoJobIsLost()
    {
        await using var db = await LedgerDatabase.CreateAsync("postgres", await postgres.CreateDatabaseAsync());
        var ids = await db.ScheduleAsync(JobCount);
        var workers = await StartWorkersAsync(db, 4, staleTimeout: TimeSpan.FromSeconds(30), heartbeat: TimeSpan.FromSeconds(1));
        try
        {
            await db.WaitForFinishedAsync(JobCount, DrainTimeout, () => Describe(workers), atLeast: JobCount / 4);
            await postgres.Server.StopAsync();
            var down = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(10)); // The outage under test, not a wait for a result.
            await postgres.Server.StartAsync();
            // This test process's own pooled connections died with the server; the workers' engines recover by themselves.
            Npgsql.NpgsqlConnection.ClearAllPools();
            var up = DateTime.UtcNow;
            output.WriteLine($"PostgreSQL was down for {up - down}");

            await db.WaitForFinishedAsync(JobCount, DrainTimeout, () => Describe(workers));
            Assert.All(workers, w => Assert.False(w.HasExited, $"{w.Name} exited:\n{w.Output}"));
            var recovered = await db.IdsAsync(
                $"SELECT count(DISTINCT process) FROM ledger WHERE at > '{up.ToString("O", CultureInfo.InvariantCulture)}'::timestamptz");
            Assert.True(recovered[0] == workers.Count, $"only {recovered[0]} of {workers.Count} processes ran jobs after the restart");
            var claims = await StopAllAsync(workers);

            var ledger = await db.LedgerAsync();
            AssertEveryJobRan(ids, ledger);
            var twice = ledger.GroupBy(r => r.JobId).Count(g => g.Count() > 1);
            output.WriteLine($"{ledger.Count} handler runs for {JobCount} jobs ({twice} ran more than once: at-least-once across an outage); " +
                $"{claims} claims");
        }
        finally
        {
            await DisposeAllAsync(workers);
        }
    }

    [Fact]
    public async Task TwoSqliteProcesses_OneDatabaseFile_EachJobClaimedOnce()
    {
        const int count = 4_000;
        var file = Path.Combine(Path.GetTempPath(), $"jobs-e2e-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = await LedgerDatabase.CreateAsync("sqlite", $"Data Source={file};Default Timeout=60");
            var ids = await db.ScheduleAsync(count);
            var workers = await StartWorkersAsync(db, 2, staleTimeout: TimeSpan.FromSeconds(30), heartbeat: TimeSpan.FromSeconds(1));
            try
            {
                await db.WaitForFinishedAsync(count, DrainTimeout, () => Describe(workers));
                var claims = await StopAllAsync(workers);

                var ledger = await db.LedgerAsync();
                AssertEveryJobRan(ids, ledger);
                Assert.Equal(count, ledger.Count);
                Assert.Empty(await db.IdsAsync($"SELECT job_id FROM job_events WHERE kind = {(int)JobEventKind.Started} GROUP BY job_id HAVING count(*) > 1"));
                Assert.All(workers, w => Assert.Contains(ledger, r => r.Process == w.Name));
                Assert.All(workers, w => Assert.Empty(w.Problems));

                Assert.Equal(count, claims); // Each job claimed once by the two processes together (the engine's own count).
                output.WriteLine($"{claims} claims");
            }
            finally
            {
                await DisposeAllAsync(workers);
            }
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
    }

    private async Task<List<WorkerProcess>> StartWorkersAsync(LedgerDatabase db, int count, TimeSpan staleTimeout, TimeSpan heartbeat)
    {
        var starts = Enumerable.Range(1, count).Select(i =>
        {
            var name = $"w{i}";
            // Each process names its sessions, so the kill test can see when the server has noticed one is gone.
            var connection = db.Provider == "postgres" ? db.ConnectionString + $";Application Name={name}" : db.ConnectionString;
            return WorkerProcess.StartAsync(name,
                "--provider", db.Provider, "--connection", connection, "--workers", "8",
                "--stale-timeout-ms", ((int)staleTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "--heartbeat-ms", ((int)heartbeat.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "--min-wait-ms", "200", "--job-delay-ms", "5");
        });
        var workers = (await Task.WhenAll(starts)).ToList();
        output.WriteLine("workers: " + string.Join(", ", workers.Select(w => $"{w.Name}={w.PoolId}")));
        return workers;
    }

    /// <summary>Stops the workers gracefully; returns how many jobs they claimed together, by the engine's Meter.</summary>
    private async Task<long> StopAllAsync(IEnumerable<WorkerProcess> workers)
    {
        var claimed = (await Task.WhenAll(workers.Select(w => w.StopAsync()))).Sum();
        output.WriteLine($"jobs claimed (engine Meter): {claimed}");
        return claimed;
    }

    private static async Task DisposeAllAsync(IEnumerable<WorkerProcess> workers)
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
    }

    private static void AssertEveryJobRan(IReadOnlyList<long> ids, List<(long JobId, int Attempt, string Process)> ledger)
    {
        var ran = ledger.Select(r => r.JobId).ToHashSet();
        var missing = ids.Where(id => !ran.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} jobs never ran, e.g. {string.Join(", ", missing.Take(10))}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private static string Describe(IEnumerable<WorkerProcess> workers)
        => string.Join("\n", workers.Select(w => $"--- {w.Name} ({(w.HasExited ? "exited" : "running")}):\n{w.Output}"));
}
