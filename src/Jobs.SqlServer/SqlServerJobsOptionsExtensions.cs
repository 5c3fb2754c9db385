namespace Jobs;

/// <summary>Stores jobs in SQL Server: <c>services.AddJobs(o => o.UseSqlServer(connectionString))</c>.</summary>
public static class SqlServerJobsOptionsExtensions
{
    /// <summary>Stores jobs in SQL Server (2016 or later), shared by every pool that points at the same database. The same as
    /// setting <c>Jobs:Database:Provider</c> to <c>SqlServer</c> and <c>Jobs:Database:ConnectionString</c> in configuration.</summary>
    /// <param name="options">The engine's options.</param>
    /// <param name="connectionString">For example <c>Server=db;Database=app;User Id=app;Password=...;TrustServerCertificate=true</c>.</param>
    /// <returns>The same options, for chaining.</returns>
    public static JobsOptions UseSqlServer(this JobsOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options.Database.Provider = DatabaseProvider.SqlServer;
        options.Database.ConnectionString = connectionString;
        return options;
    }
}
