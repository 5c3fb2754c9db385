using Microsoft.Data.Sqlite;

namespace Jobs.Tests.Infrastructure;

/// <summary>Hands out a fresh, empty database per test for each provider the suite runs on.</summary>
internal static class TestDatabases
{
    private static readonly string SqliteRoot = Path.Combine(Path.GetTempPath(), "jobs-tests-" + Environment.ProcessId);

    /// <summary>The providers this run covers.</summary>
    public static IEnumerable<string> Providers
    {
        get
        {
            yield return "sqlite";
        }
    }

    /// <summary>Configures options for a new database of the provider; every call is a different database.</summary>
    public static Task<Action<JobsOptions>> CreateAsync(string provider)
    {
        switch (provider)
        {
            case "sqlite":
                Directory.CreateDirectory(SqliteRoot);
                var file = Path.Combine(SqliteRoot, Guid.NewGuid().ToString("N") + ".db");
                var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
                return Task.FromResult<Action<JobsOptions>>(o => o.UseSqlite(connectionString));
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider.");
        }
    }
}
