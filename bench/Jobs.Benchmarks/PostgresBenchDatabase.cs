using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Benchmarks;

internal sealed class PostgresBenchDatabase(string server, PostgresCluster? cluster) : BenchDatabase
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public override string Provider => "postgres";

    public override void Configure(JobsOptions options, string connectionString) => options.UseNpgsql(connectionString);

    public override DbConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    public override async Task<long?> CommitCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Backends report their counters at transaction end at most once a second; closed ones have reported everything.
        command.CommandText = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Freshly filled, the jobs table has no statistics: PostgreSQL then estimated 8 ready rows out of 100,000 and sorted
    // every ready row for each claim (19 ms) instead of reading the claim index in order (0.2 ms).
    public override async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE jobs; ANALYZE job_events";
        await command.ExecuteNonQueryAsync();
    }

    public override void ReleaseConnections() => NpgsqlConnection.ClearAllPools();

    // One statement: the completions (compared on xmin, the version the engine compares), their events, the next claim
    // (passing over rows other claimers hold) and its events. Data-modifying CTEs all see one snapshot and never each
    // other's rows, which is what this needs: the claim picks queued rows, the completion running ones.
    private const string CompleteAndClaimSql = """
        WITH done AS (
            UPDATE jobs SET status = 2, finished_at = @now FROM unnest(@ids, @versions) AS c(id, v)
            WHERE jobs.id = c.id AND jobs.xmin = c.v AND jobs.status = 1
            RETURNING jobs.id, jobs.attempt),
        next AS (
            UPDATE jobs SET status = 1, attempt = attempt + 1, pool_id = 'ceiling', started_at = @now
            FROM (SELECT id FROM jobs WHERE status = 0 AND run_at <= @now ORDER BY priority DESC, run_at, id LIMIT @batch FOR UPDATE SKIP LOCKED) AS c
            WHERE jobs.id = c.id
            RETURNING jobs.id, jobs.xmin, jobs.attempt),
        events AS (
            INSERT INTO job_events (job_id, at, kind, attempt, pool_id)
            SELECT id, @now, 2, attempt, 'ceiling' FROM done
            UNION ALL SELECT id, @now, 1, attempt, 'ceiling' FROM next)
        SELECT id, xmin::text::bigint, attempt, (SELECT count(*) FROM done) FROM next
        UNION ALL SELECT 0, 0, 0, (SELECT count(*) FROM done) WHERE NOT EXISTS (SELECT FROM next)
        """;

    // A single statement is its own transaction: one round trip, no BEGIN or COMMIT.
    public override async Task<IReadOnlyList<ClaimedRow>> CompleteAndClaimAsync(DbConnection connection, IReadOnlyList<ClaimedRow> running, int batch, DateTime now)
    {
        await using var command = new NpgsqlCommand(CompleteAndClaimSql, (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter("@now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("@batch", NpgsqlDbType.Integer) { Value = batch });
        command.Parameters.Add(new NpgsqlParameter("@ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = running.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@versions", NpgsqlDbType.Array | NpgsqlDbType.Xid) { Value = running.Select(r => unchecked((uint)r.Version)).ToArray() });
        var claimed = new List<ClaimedRow>(batch);
        long done = -1;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                done = reader.GetInt64(3);
                if (reader.GetInt64(0) != 0)
                {
                    claimed.Add(new ClaimedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)));
                }
            }
        }

        if (done != running.Count)
        {
            throw new InvalidOperationException($"ceiling: {done} of {running.Count} completions won their compare-and-swap.");
        }

        return claimed;
    }

    public override TimeSpan? ServerCpuTime() => PostgresProcesses.CpuTime();

    public override string InsertOneSql =>
        "INSERT INTO jobs (type, queue, priority, run_at, scheduled_at, status, max_retries, attempt, created_at, cancel_requested) " +
        "VALUES ('noop', 'default', 0, @now, @now, 0, 3, 0, @now, false)";

    public override string MarkFailedSql =>
        "UPDATE jobs SET status = 3, type = 'failing', last_error_type = 'System.Exception', last_error_message = 'boom' WHERE id % 10 = 0";

    protected override async Task<string> CreateEmptyAsync(string name)
    {
        var database = $"jobs_bench_{name.Replace('-', '_')}_{_suffix}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {database}";
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();
    }

    public static async Task<PostgresBenchDatabase> StartAsync(string? connection, Action<string> progress)
    {
        if (connection is not null)
        {
            return new PostgresBenchDatabase(connection, null);
        }

        var cluster = await PostgresCluster.StartAsync(progress);
        return new PostgresBenchDatabase(cluster.ConnectionString, cluster);
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
