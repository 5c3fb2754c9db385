using System.Net.Sockets;
using Jobs.Storage.PostgreSql;
using Jobs.Storage.Sqlite;
using Jobs.Storage.SqlServer;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jobs.Tests.Storage;

/// <summary>What each provider tells an operator about the database it cannot reach (never a password), and which failures
/// count as "cannot reach" (said once per outage) rather than as a failure of their own (logged with its stack).</summary>
public sealed class StorageTargetTests
{
    private const string Password = "hunter2-not-for-logs";

    [Fact]
    public void DescribeTarget_PostgreSql_HostPortDatabaseAndUserWithoutPassword()
    {
        using var provider = new PostgreSqlStorageProvider(new DatabaseOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = $"Host=db.internal;Port=6543;Database=jobs;Username=app;Password={Password}",
        });

        Assert.Equal("PostgreSQL server db.internal port 6543, database jobs, user app", provider.DescribeTarget());
    }

    [Fact]
    public void DescribeTarget_SqlServer_DataSourceDatabaseAndUserWithoutPassword()
    {
        using var provider = new SqlServerStorageProvider(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = $"Server=tcp:db.internal,1533;Database=jobs;User ID=app;Password={Password};TrustServerCertificate=true",
        });

        Assert.Equal("SQL Server tcp:db.internal,1533, database jobs, user app", provider.DescribeTarget());
    }

    [Fact]
    public void DescribeTarget_SqliteRelativePath_TheFullPath()
    {
        using var provider = new SqliteStorageProvider(new DatabaseOptions { ConnectionString = "Data Source=data/jobs.db" });

        Assert.Equal($"SQLite file {Path.GetFullPath("data/jobs.db")}", provider.DescribeTarget());
    }

    [Fact]
    public void IsUnreachable_PostgreSqlConnectionRefusedOrCredentialsRefused_True()
    {
        using var provider = new PostgreSqlStorageProvider(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=localhost" });

        Assert.True(provider.IsUnreachable(new InvalidOperationException("wrapped", new NpgsqlException("Failed to connect", new SocketException(111)))));
        Assert.True(provider.IsUnreachable(new PostgresException("password authentication failed", "FATAL", "FATAL", "28P01")));
        Assert.True(provider.IsUnreachable(new PostgresException("database \"jobs\" does not exist", "FATAL", "FATAL", "3D000")));
    }

    [Fact]
    public void IsUnreachable_PostgreSqlStatementRefused_False()
    {
        using var provider = new PostgreSqlStorageProvider(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=localhost" });

        Assert.False(provider.IsUnreachable(new PostgresException("invalid byte sequence for encoding", "ERROR", "ERROR", "22021")));
        Assert.False(provider.IsUnreachable(new PostgresException("could not serialize access", "ERROR", "ERROR", "40001")));
        Assert.False(provider.IsUnreachable(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void IsUnreachable_SqliteCannotOpenButNotBusyOrConstraint_OnlyCannotOpen()
    {
        using var provider = new SqliteStorageProvider(new DatabaseOptions { ConnectionString = "Data Source=jobs.db" });

        Assert.True(provider.IsUnreachable(new SqliteException("unable to open database file", 14)));
        Assert.False(provider.IsUnreachable(new SqliteException("database is locked", 5)));
        Assert.False(provider.IsUnreachable(new SqliteException("constraint failed", 19)));
    }
}
