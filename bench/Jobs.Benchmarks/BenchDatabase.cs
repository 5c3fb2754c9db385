using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Benchmarks;

/// <summary>What the harness needs from a database: fresh databases, raw connections for the ceiling, and commit counts.</summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    /// <summary>A new, empty database with the Jobs schema applied; returns its connection string.</summary>
    public async Task<string> CreateAsync(string name)
    {
        var connectionString = await CreateEmptyAsync(name);
        var services = new ServiceCollection();
        services.AddJobs(o =>
        {
            Configure(o, connectionString);
            o.Database.AutoMigrate = true;
        });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IJobMonitor>().CountByStatusAsync(); // Applies the migrations.
        return connectionString;
    }

    public abstract void Configure(JobsOptions options, string connectionString);

    public abstract DbConnection Open(string connectionString);

    /// <summary>Committed transactions as the database counts them, or null where it does not (SQLite).</summary>
    public virtual Task<long?> CommitCountAsync(string connectionString) => Task.FromResult<long?>(null);

    /// <summary>Brings the planner's statistics up to date after a fill, as the database's own background maintenance soon
    /// would (PostgreSQL's autovacuum analyzes within a minute): measuring the minute before it, on a table the planner
    /// believes nearly empty, would time a plan no running system keeps.</summary>
    public virtual Task AnalyzeAsync(string connectionString) => Task.CompletedTask;

    /// <summary>Closes this process's pooled connections.</summary>
    public virtual void ReleaseConnections()
    {
    }

    /// <summary>The ceiling's one transaction per batch: completes <paramref name="running"/> (each guarded by its version,
    /// with a Succeeded event) and claims up to <paramref name="batch"/> ready jobs (with a Started event each).</summary>
    public abstract Task<IReadOnlyList<ClaimedRow>> CompleteAndClaimAsync(DbConnection connection, IReadOnlyList<ClaimedRow> running, int batch, DateTime now);

    public abstract string InsertOneSql { get; }

    /// <summary>Turns a tenth of the rows into failed jobs of another type, for the dashboard queries.</summary>
    public virtual string MarkFailedSql =>
        "UPDATE jobs SET status = 3, type = 'failing', last_error_type = 'System.Exception', last_error_message = 'boom' WHERE id % 10 = 0";

    protected abstract Task<string> CreateEmptyAsync(string name);

    /// <summary>CPU time the database server's processes have used so far, or null where it runs inside the caller (SQLite).</summary>
    public virtual TimeSpan? ServerCpuTime() => null;

    protected static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public static async Task<BenchDatabase> StartAsync(BenchOptions options, Action<string> progress) => options.Provider switch
    {
        "sqlite" => new SqliteBenchDatabase(),
        "postgres" => await PostgresBenchDatabase.StartAsync(options.Connection, progress),
        _ => throw new ArgumentException($"Provider '{options.Provider}' is not supported."),
    };

    /// <summary>In a worker process: the same database, already created by the coordinator.</summary>
    public static BenchDatabase Attach(BenchOptions options) => options.Provider switch
    {
        "sqlite" => new SqliteBenchDatabase(),
        _ => new PostgresBenchDatabase(options.Connection!, null),
    };
}
