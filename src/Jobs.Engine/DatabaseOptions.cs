namespace Jobs;

/// <summary>Where jobs are stored. Bound from the configuration section <c>Jobs:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The database engine. Default: <see cref="DatabaseProvider.Sqlite"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The ADO.NET connection string. Default: <c>Data Source=jobs.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=jobs.db";

    /// <summary>Create or upgrade the schema at start-up. Default: <see langword="true"/>.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>SQLite durability. Default: <see cref="SqliteSynchronousMode.Full"/> (durable on power loss).</summary>
    public SqliteSynchronousMode SqliteSynchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>How long a statement may wait, including on a busy database, in seconds (1 to 600). Default: 30.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;
}
