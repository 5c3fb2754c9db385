using System.Data.Common;
using System.Data;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Jobs.Storage.SqlServer;

internal sealed class SqlServerStorageProvider : StorageProvider
{
    private readonly DbContextOptions<SqlServerJobsDbContext> _options;
    private readonly PooledDbContextFactory<SqlServerJobsDbContext> _contexts;
    private readonly string _connectionString;

    public SqlServerStorageProvider(DatabaseOptions database)
        : base(database)
    {
        _connectionString = database.ConnectionString;
        _options = new DbContextOptionsBuilder<SqlServerJobsDbContext>()
            .UseSqlServer(database.ConnectionString, s => s.CommandTimeout(database.CommandTimeoutSeconds))
            .Options;
        _contexts = new PooledDbContextFactory<SqlServerJobsDbContext>(_options);
    }

    public override string Name => "sqlserver";

    // rowversion moves by itself on every write.
    public override string BumpVersion => "";

    public override string False => "0";

    public override string True => "1";

    public override int MaxParameters => 2_100;

    // Pooled: a new context costs ~100 µs of service resolution, more than the write it serves on SQLite.
    public override JobsDbContext CreateContext() => _contexts.CreateDbContext();

    public override string ReadVersion(string? alias = null) => $"CAST({(alias is null ? "" : alias + ".")}version AS bigint)";

    // rowversion is binary(8), big-endian: the same bytes as the bigint the engine holds.
    public override string VersionMatches(string parameter) => $"version = CAST({parameter} AS binary(8))";

    // UPDLOCK + READPAST: rows another pool is claiming right now are passed over instead of waited on or fought for. An
    // updatable CTE with TOP and ORDER BY picks in claim order and moves the rows in one statement.
    public override string ClaimSql(string filter, string set)
        => $"WITH c AS (SELECT TOP (@limit) * FROM jobs WITH (UPDLOCK, READPAST, ROWLOCK) WHERE {filter} ORDER BY priority DESC, run_at, id) " +
            $"UPDATE c SET {set} OUTPUT {Columns(JobColumns.Names)}";

    public override string UpdateReturning(string table, string set, string where, IReadOnlyList<string> columns)
        => $"UPDATE {table} SET {set} OUTPUT {Columns(columns)} WHERE {where}";

    protected override DbParameter Parameter(DbParameter parameter, string name, object? value)
    {
        base.Parameter(parameter, name, value);
        if (value is DateTime)
        {
            // Inferred DateTime parameters are the legacy datetime type (3 ms steps); the columns are datetime2.
            parameter.DbType = DbType.DateTime2;
        }

        return parameter;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        using var connection = new SqlConnection(_connectionString);
        SqlConnection.ClearPool(connection);
    }

    private static string Columns(IReadOnlyList<string> columns)
        => string.Join(", ", columns.Select(c => c == "version" ? "CAST(inserted.version AS bigint)" : "inserted." + c));

    // Network errors (no server at the address, refused, timed out), no such database (4060) and login failed (18456): whatever
    // the engine sends fails alike until the server or its settings change.
    protected override bool IsUnreachable(DbException exception)
        => exception is SqlException sql
            && (sql.Class >= 20 || sql.Number is -2 or -1 or 2 or 26 or 40 or 53 or 121 or 258 or 4060 or 18456 or 10053 or 10054 or 10060 or 10061 or 11001);

    public override string DescribeTarget()
    {
        var builder = new SqlConnectionStringBuilder(_connectionString);
        var database = string.IsNullOrEmpty(builder.InitialCatalog) ? "" : $", database {builder.InitialCatalog}";
        var user = builder.IntegratedSecurity ? ", integrated security" : string.IsNullOrEmpty(builder.UserID) ? "" : $", user {builder.UserID}";
        // Data Source carries host, instance and port ("tcp:host,1433"); without a port SQL Server's default 1433 (or the
        // SQL Browser, for a named instance) applies.
        return $"SQL Server {builder.DataSource}{database}{user}";
    }

    // Connection-level failures (class 20 and above), timeouts (-2), deadlocks and the Azure SQL throttling and failover codes.
    protected override bool IsTransient(DbException exception)
        => exception is SqlException sql
            && (sql.Class >= 20 || sql.Number is -2 or 1205 or 4060 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 or 10928 or 10929);
}
