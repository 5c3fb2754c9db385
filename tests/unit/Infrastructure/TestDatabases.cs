using System.Collections.Concurrent;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>Hands out a fresh, empty database per test for each provider the suite runs on: SQLite always, PostgreSQL when
/// <c>JOBS_TEST_POSTGRES</c> names a server (required when <c>CI=true</c>), SQL Server when <c>JOBS_TEST_SQLSERVER</c> does.</summary>
internal static class TestDatabases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    private static readonly string SqliteRoot = Path.Combine(Path.GetTempPath(), "jobs-tests-" + Environment.ProcessId);
    private static readonly ConcurrentBag<(string Provider, string Name)> Created = [];
    private static int _cleanupRegistered;

    /// <summary>The PostgreSQL server's connection string, without a database; null when the run has none.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("JOBS_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    /// <summary>The SQL Server's connection string, without a database; null when the run has none.</summary>
    public static string? SqlServerServer => Environment.GetEnvironmentVariable("JOBS_TEST_SQLSERVER") is { Length: > 0 } cs ? cs : null;

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The providers this run covers. In CI PostgreSQL is always one of them: a missing server fails its tests
    /// instead of silently leaving them out.</summary>
    public static IEnumerable<string> Providers
    {
        get
        {
            yield return Sqlite;
            if (PostgresServer is not null || InCi)
            {
                yield return Postgres;
            }

            if (SqlServerServer is not null)
            {
                yield return SqlServer;
            }
        }
    }

    /// <summary>Configures options for a new database of the provider; every call is a different database.</summary>
    public static async Task<Action<JobsOptions>> CreateAsync(string provider)
    {
        var connectionString = await CreateDatabaseAsync(provider);
        return provider switch
        {
            Sqlite => o => o.UseSqlite(connectionString),
            Postgres => o =>
            {
                o.UseNpgsql(connectionString);
                o.Database.AutoMigrate = true;
            },
            SqlServer => o =>
            {
                o.UseSqlServer(connectionString);
                o.Database.AutoMigrate = true;
            },
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
    }

    /// <summary>Creates a new, empty database and returns its connection string. <paramref name="postgresOptions"/> is
    /// appended to PostgreSQL's <c>CREATE DATABASE</c> (a locale, say).</summary>
    public static async Task<string> CreateDatabaseAsync(string provider, string? postgresOptions = null)
    {
        var name = "jobs_test_" + Guid.NewGuid().ToString("N")[..16];
        switch (provider)
        {
            case Sqlite:
                Directory.CreateDirectory(SqliteRoot);
                return new SqliteConnectionStringBuilder { DataSource = Path.Combine(SqliteRoot, name + ".db"), DefaultTimeout = 30 }.ToString();
            case Postgres:
            {
                var server = PostgresServer ?? throw new InvalidOperationException(
                    "CI=true but JOBS_TEST_POSTGRES is not set: the PostgreSQL suite must run in CI. Run ./test.sh, which starts a throwaway cluster.");
                await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString))
                {
                    await admin.OpenAsync();
                    await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" {postgresOptions}", admin);
                    await command.ExecuteNonQueryAsync();
                }

                Track(Postgres, name);
                return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            }

            case SqlServer:
            {
                var server = SqlServerServer ?? throw new InvalidOperationException("JOBS_TEST_SQLSERVER is not set.");
                await using (var admin = new SqlConnection(new SqlConnectionStringBuilder(server) { InitialCatalog = "master", Pooling = false }.ConnectionString))
                {
                    await admin.OpenAsync();
                    await using var command = new SqlCommand($"CREATE DATABASE [{name}]", admin);
                    await command.ExecuteNonQueryAsync();
                }

                Track(SqlServer, name);
                return new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider.");
        }
    }

    private static void Track(string provider, string name)
    {
        Created.Add((provider, name));
        if (Interlocked.Exchange(ref _cleanupRegistered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();
        }
    }

    /// <summary>Best effort: a shared server should not collect a database per test run.</summary>
    private static void DropAll()
    {
        if (Environment.GetEnvironmentVariable("JOBS_TEST_PG_DATA") is { Length: > 0 })
        {
            return; // A throwaway cluster of test.sh: deleted as a whole when the run ends.
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            SqlConnection.ClearAllPools();
            foreach (var (provider, name) in Created)
            {
                if (provider == Postgres && PostgresServer is { } pg)
                {
                    using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres", Pooling = false, Timeout = 2 }.ConnectionString);
                    admin.Open();
                    using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                    command.ExecuteNonQuery();
                }
                else if (provider == SqlServer && SqlServerServer is { } ss)
                {
                    using var admin = new SqlConnection(new SqlConnectionStringBuilder(ss) { InitialCatalog = "master", Pooling = false, ConnectTimeout = 2 }.ConnectionString);
                    admin.Open();
                    using var command = new SqlCommand($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]", admin);
                    command.ExecuteNonQuery();
                }
            }
        }
#pragma warning disable CA1031 // Cleanup at exit must never fail the run.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
