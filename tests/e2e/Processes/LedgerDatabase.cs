using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.E2E.Processes;

/// <summary>A jobs database for one many-process run, with its <c>ledger</c> table, and this test process's client on it
/// (no pool here: only the worker processes run jobs).</summary>
internal sealed class LedgerDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LedgerDatabase(string provider, string connectionString, ServiceProvider services)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _services = services;
        Client = services.GetRequiredService<IJobClient>();
        Monitor = services.GetRequiredService<IJobMonitor>();
    }

    public string Provider { get; }
    public string ConnectionString { get; }
    public IJobClient Client { get; }
    public IJobMonitor Monitor { get; }

    public static async Task<LedgerDatabase> CreateAsync(string provider, string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddJobs(o =>
        {
            if (provider == "postgres")
            {
                o.UseNpgsql(connectionString);
            }
            else
            {
                o.UseSqlite(connectionString);
            }

            o.Database.AutoMigrate = true;
            o.Pool.Enabled = false;
        }).AddJobType<LedgerItem>("ledger", (_, _) => Task.CompletedTask);
        var database = new LedgerDatabase(provider, connectionString, services.BuildServiceProvider());
        await database.ExecuteAsync(provider == "postgres"
            ? "CREATE TABLE ledger (id bigserial PRIMARY KEY, job_id bigint NOT NULL, attempt int NOT NULL, process text NOT NULL, n int NOT NULL, at timestamptz NOT NULL DEFAULT now())"
            : "CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL, attempt INTEGER NOT NULL, process TEXT NOT NULL, n INTEGER NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')))");
        return database;
    }

    /// <summary>Schedules <paramref name="count"/> ledger jobs; the schema is migrated by the first call.</summary>
    public async Task<IReadOnlyList<long>> ScheduleAsync(int count)
    {
        var ids = new List<long>(count);
        for (var start = 0; start < count; start += 2000)
        {
            var jobs = await Client.ScheduleManyAsync(Enumerable.Range(start, Math.Min(2000, count - start)).Select(n => JobRequest.Create("ledger", new LedgerItem(n))));
            ids.AddRange(jobs.Select(j => j.Id));
        }

        return ids;
    }

    /// <summary>How many jobs are finished; during an outage the database cannot say, and the answer is null.</summary>
    public async Task<long?> FinishedAsync()
    {
        try
        {
            return (await Monitor.CountByStatusAsync())[JobStatus.Finished];
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    public async Task WaitForFinishedAsync(long count, TimeSpan timeout, Func<string> diagnostics, long atLeast = -1)
    {
        var target = atLeast < 0 ? count : atLeast;
        var deadline = DateTime.UtcNow + timeout;
        long? finished = 0;
        while ((finished = await FinishedAsync()) is null || finished < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                var counts = await Monitor.CountByStatusAsync();
                Assert.Fail($"{finished} of {count} jobs finished after {timeout} (waiting for {target}); by status: " +
                    $"{string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"))}\n{diagnostics()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every ledger row: (job id, attempt, process).</summary>
    public async Task<List<(long JobId, int Attempt, string Process)>> LedgerAsync()
    {
        var rows = new List<(long, int, string)>();
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, attempt, process FROM ledger ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>The ids of the rows of a query's first column.</summary>
    public Task<List<string>> TextsAsync(string sql) => ReadAsync(sql, r => r.GetString(0));

    public Task<List<long>> IdsAsync(string sql) => ReadAsync(sql, r => r.GetInt64(0));

    private async Task<List<T>> ReadAsync<T>(string sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        var values = new List<T>();
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(read(reader));
        }

        return values;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (Provider == "postgres")
        {
            NpgsqlConnection.ClearAllPools();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private DbConnection Open() => Provider == "postgres" ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
}
