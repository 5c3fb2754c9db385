using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Jobs.Benchmarks;

internal sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobs-bench-").FullName;

    public override string Provider => "sqlite";

    public override void Configure(JobsOptions options, string connectionString) => options.UseSqlite(connectionString);

    public override DbConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;"; // The engine's default durability.
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public override string ClaimSql =>
        "UPDATE jobs SET status = 1, attempt = attempt + 1, pool_id = 'ceiling', started_at = @now, version = version + 1 " +
        "WHERE id IN (SELECT id FROM jobs WHERE status = 0 AND run_at <= @now ORDER BY priority DESC, run_at, id LIMIT @batch) RETURNING id";

    public override string CompleteSql(IReadOnlyList<long> ids) =>
        $"UPDATE jobs SET status = 2, finished_at = @now, version = version + 1 WHERE id IN ({string.Join(",", ids)})";

    public override string InsertOneSql =>
        "INSERT INTO jobs (type, queue, priority, run_at, scheduled_at, status, max_retries, attempt, created_at, cancel_requested, version) " +
        "VALUES ('noop', 'default', 0, @now, @now, 0, 3, 0, @now, 0, 1)";

    protected override Task<string> CreateEmptyAsync(string name)
        => Task.FromResult(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, name + ".db"), DefaultTimeout = 60 }.ToString());

    public override async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        await base.DisposeAsync();
    }
}
