namespace Jobs;

/// <summary>Stores jobs in PostgreSQL: <c>services.AddJobs(o => o.UseNpgsql(connectionString))</c>.</summary>
public static class PostgreSqlJobsOptionsExtensions
{
    /// <summary>Stores jobs in PostgreSQL, shared by every pool that points at the same database. The same as setting
    /// <c>Jobs:Database:Provider</c> to <c>PostgreSql</c> and <c>Jobs:Database:ConnectionString</c> in configuration.</summary>
    /// <param name="options">The engine's options.</param>
    /// <param name="connectionString">For example <c>Host=db;Database=app;Username=app;Password=...</c>.</param>
    /// <returns>The same options, for chaining.</returns>
    public static JobsOptions UseNpgsql(this JobsOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options.Database.Provider = DatabaseProvider.PostgreSql;
        options.Database.ConnectionString = connectionString;
        return options;
    }
}
