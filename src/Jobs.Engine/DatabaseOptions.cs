using System.ComponentModel.DataAnnotations;

namespace Jobs;

/// <summary>Where jobs are stored. Bound from the configuration section <c>Jobs:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The database engine. Default: <see cref="DatabaseProvider.Sqlite"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The ADO.NET connection string of the provider. Default: <c>Data Source=jobs.db</c> (SQLite).</summary>
    public string ConnectionString { get; set; } = "Data Source=jobs.db";

    /// <summary>Create or upgrade the schema at start-up. Default (<see langword="null"/>): on for SQLite, off for PostgreSQL and
    /// SQL Server, where a DBA usually applies the idempotent migration script. Either way, a schema older or newer than this
    /// code stops the start with an error that names both versions.</summary>
    public bool? AutoMigrate { get; set; }

    /// <summary>SQLite durability. Default: <see cref="SqliteSynchronousMode.Full"/> (durable on power loss).</summary>
    public SqliteSynchronousMode SqliteSynchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>How long a statement may wait, including on a busy database, in seconds (1 to 600). Default: 30.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Whether the schema is migrated at start-up once the provider's default is applied.</summary>
    internal bool ShouldAutoMigrate => AutoMigrate ?? Provider == DatabaseProvider.Sqlite;
}
