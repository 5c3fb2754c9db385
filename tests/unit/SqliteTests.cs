using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Jobs.Storage.Sqlite;
using Jobs.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>SQLite's per-connection settings and functions, which the engine applies once per native connection.</summary>
public sealed class SqliteTests
{
    [Fact]
    public async Task Listen_JobScheduledByAnotherProcess_WakesIdlePoolWithoutPolling()
    {
        // Two service providers on one file share nothing in memory (no JobSignal, no connection pool of one provider):
        // as far as the engine can tell, the producer is another process.
        var database = await TestDatabases.CreateAsync(TestDatabases.Sqlite);
        await using var worker = await JobsHarness.CreateAsync(database, b => b.AddJobType("remote", _ => Task.CompletedTask),
            o => o.Pool.MinWait = TimeSpan.FromHours(1));
        await using var producer = await JobsHarness.CreateAsync(database, b => b.AddJobType("remote", _ => Task.CompletedTask), startPool: false);

        var job = await producer.Client.ScheduleAsync("remote");

        // With an hour between polls, only the data_version watch can start it within the timeout.
        await Eventually.StatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(20));
        Assert.Equal(worker.Pool.Id, job.PoolId);
    }

    [Fact]
    public async Task Connection_ReusedFromPoolOrNew_KeepsConfiguredDurabilityBusyTimeoutAndForeignKeys()
    {
        await using var jobs = await JobsHarness.CreateAsync(
            await TestDatabases.CreateAsync(TestDatabases.Sqlite),
            b => b.AddJobType("t", _ => Task.CompletedTask),
            o =>
            {
                o.Database.SqliteSynchronous = SqliteSynchronousMode.Normal;
                o.Database.CommandTimeoutSeconds = 7;
            },
            startPool: false);
        await jobs.Client.ScheduleAsync("t");
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();

        for (var round = 0; round < 4; round++)
        {
            if (round == 2)
            {
                SqliteConnection.ClearAllPools(); // The next opens get new native connections.
            }

            await using var db = store.CreateContext();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(1L, await PragmaAsync(db, "synchronous")); // NORMAL
            Assert.Equal(7000L, await PragmaAsync(db, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
        }
    }

    [Fact]
    public async Task Connection_ReusedFromPoolOrNew_LowersEveryScriptInSql()
    {
        await using var jobs = await JobsHarness.CreateAsync(
            await TestDatabases.CreateAsync(TestDatabases.Sqlite), b => b.AddJobType("t", _ => Task.CompletedTask), startPool: false);
        await jobs.Client.ScheduleAsync("t");
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();

        for (var round = 0; round < 4; round++)
        {
            if (round == 2)
            {
                SqliteConnection.ClearAllPools();
            }

            await using var db = store.CreateContext();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT {SqliteText.LowerFunction}('ÄRGER Über ΣΟΦΊΑ'), {SqliteText.LowerFunction}(NULL), lower('ÄRGER')";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("ärger über σοφία", reader.GetString(0));
            Assert.True(reader.IsDBNull(1));
            Assert.Equal("Ärger", reader.GetString(2)); // SQLite's own: ASCII only, which is why the engine brings its own.
        }
    }

    private static async Task<long> PragmaAsync(JobsDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
