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

    // SQLite has one writer at a time and runs in this process: three statements in the transaction cost no round trips.
    public override async Task<IReadOnlyList<ClaimedRow>> CompleteAndClaimAsync(DbConnection connection, IReadOnlyList<ClaimedRow> running, int batch, DateTime now)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        Add(command, "@now", now);
        Add(command, "@batch", batch);
        if (running.Count > 0)
        {
            command.CommandText =
                "UPDATE jobs SET status = 2, finished_at = @now, version = version + 1 " +
                $"FROM (VALUES {string.Join(", ", running.Select(r => $"({r.Id}, {r.Version})"))}) AS c " +
                "WHERE jobs.id = c.column1 AND jobs.version = c.column2 AND jobs.status = 1";
            if (await command.ExecuteNonQueryAsync() != running.Count)
            {
                throw new InvalidOperationException("ceiling: a completion lost its compare-and-swap.");
            }
        }

        command.CommandText =
            "UPDATE jobs SET status = 1, attempt = attempt + 1, pool_id = 'ceiling', started_at = @now, version = version + 1 " +
            "WHERE id IN (SELECT id FROM jobs WHERE status = 0 AND run_at <= @now ORDER BY priority DESC, run_at, id LIMIT @batch) " +
            "RETURNING id, version, attempt";
        var claimed = new List<ClaimedRow>(batch);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                claimed.Add(new ClaimedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)));
            }
        }

        var events = running.Select(r => $"({r.Id}, @now, 2, {r.Attempt}, 'ceiling')")
            .Concat(claimed.Select(r => $"({r.Id}, @now, 1, {r.Attempt}, 'ceiling')")).ToList();
        if (events.Count > 0)
        {
            command.CommandText = $"INSERT INTO job_events (job_id, at, kind, attempt, pool_id) VALUES {string.Join(", ", events)}";
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return claimed;
    }

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
