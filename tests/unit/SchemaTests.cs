using Jobs.Storage;
using Jobs.Storage.PostgreSql;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests;

/// <summary>Versioned migrations per provider: applied at start-up when AutoMigrate is on, and a schema older or newer than
/// the code stops the start with an error naming both versions.</summary>
public sealed class SchemaTests
{
    [Theory, AllProviders]
    public async Task StartAsync_EmptyDatabaseWithoutAutoMigrate_FailsNamingBothVersions(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await using var jobs = await JobsHarness.CreateAsync(db, b => b.AddJobType("x", _ => Task.CompletedTask),
            o => o.Database.AutoMigrate = false, startPool: false);

        var ex = await Assert.ThrowsAsync<JobsSchemaException>(() => jobs.Pool.StartAsync());

        var code = CodeVersion(jobs);
        Assert.Null(ex.DatabaseVersion);
        Assert.Equal(code, ex.CodeVersion);
        Assert.Contains("'none (empty database)', older than this code's schema version '" + code + "'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs:Database:AutoMigrate", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task StartAsync_SchemaNewerThanCode_FailsNamingBothVersions(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await using (var current = await JobsHarness.CreateAsync(db, b => b.AddJobType("x", _ => Task.CompletedTask)))
        {
            var context = current.Services.GetRequiredService<SqlJobDriver>().CreateContext();
            await using (context)
            {
                await context.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('99990101000000_FromTheFuture', '99.0.0')");
            }
        }

        await using var older = await JobsHarness.CreateAsync(db, b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var ex = await Assert.ThrowsAsync<JobsSchemaException>(() => older.Pool.StartAsync());

        Assert.Equal("99990101000000_FromTheFuture", ex.DatabaseVersion);
        Assert.Contains($"'99990101000000_FromTheFuture', newer than this code's schema version '{CodeVersion(older)}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task StartAsync_AutoMigrate_AppliesEveryMigrationOfTheProvider(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask));

        var context = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (context)
        {
            Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        }
    }

    [Theory, AllProviders]
    public async Task StartAsync_FourPoolsAtOnceOnEmptyDatabase_OneMigratesAndAllRun(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);

        var pools = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            JobsHarness.CreateAsync(db, b => b.AddJobType("x", _ => Task.CompletedTask)))));
        try
        {
            var job = await pools[0].Client.ScheduleAsync("x");
            await Eventually.StatusAsync(job, JobStatus.Finished);
            // Each pool announces itself with its first beat, which may land after another pool's job has finished.
            await Eventually.TrueAsync(async () => (await pools[0].Monitor.GetPoolsAsync()).Count == 4, "all four pools registered");
            var context = pools[0].Services.GetRequiredService<SqlJobDriver>().CreateContext();
            await using (context)
            {
                Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
            }
        }
        finally
        {
            foreach (var pool in pools)
            {
                await pool.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, true)]
    [InlineData(DatabaseProvider.PostgreSql, false)]
    [InlineData(DatabaseProvider.SqlServer, false)]
    public void AutoMigrate_NotSet_OnForSqliteOffForServers(DatabaseProvider provider, bool expected)
    {
        var options = new JobsOptions();
        options.Database.Provider = provider;

        Assert.Null(options.Database.AutoMigrate);
        Assert.Equal(expected, options.Database.ShouldAutoMigrate);
        options.Database.AutoMigrate = !expected;
        Assert.Equal(!expected, options.Database.ShouldAutoMigrate);
    }

    [Fact]
    public void AddJobs_ConfigurationNamesProvider_SelectsIt()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Jobs:Database:Provider"] = "PostgreSql",
                ["Jobs:Database:ConnectionString"] = "Host=db.invalid;Database=app",
            }).Build());
        services.AddLogging();
        services.AddJobs();
        using var sp = services.BuildServiceProvider();

        Assert.Equal(DatabaseProvider.PostgreSql, sp.GetRequiredService<IOptions<JobsOptions>>().Value.Database.Provider);
        Assert.IsType<PostgreSqlStorageProvider>(sp.GetRequiredService<StorageProvider>());
    }

    private static string CodeVersion(JobsHarness jobs)
    {
        using var context = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        return context.Database.GetMigrations().Last();
    }
}
