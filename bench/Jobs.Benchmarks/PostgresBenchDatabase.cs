using System.Data.Common;
using Npgsql;

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

    // The candidates locked in a CTE, then updated through the primary key: one statement, one index walk per claim.
    public override string ClaimSql =>
        "WITH c AS (SELECT id FROM jobs WHERE status = 0 AND run_at <= @now ORDER BY priority DESC, run_at, id LIMIT @batch FOR UPDATE SKIP LOCKED) " +
        "UPDATE jobs SET status = 1, attempt = attempt + 1, pool_id = 'ceiling', started_at = @now FROM c WHERE jobs.id = c.id RETURNING jobs.id";

    public override string CompleteSql(IReadOnlyList<long> ids) =>
        $"UPDATE jobs SET status = 2, finished_at = @now WHERE id IN ({string.Join(",", ids)})";

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
