using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Infrastructure;

/// <summary>A database at the schema of an earlier release, and job rows written as that release wrote them: by plain SQL that
/// names only columns every schema has, since inserting through the current model would name columns added since.</summary>
internal static class EarlierSchema
{
    /// <summary>Migrates the harness's database (before anything initialized its storage) to the migration just before the one
    /// whose name ends in <paramref name="migration"/>, and returns a context on it.</summary>
    public static async Task<JobsDbContext> MigrateToBeforeAsync(JobsHarness jobs, string migration)
    {
        var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        var migrations = db.Database.GetMigrations().ToList();
        var index = migrations.FindIndex(m => m.EndsWith("_" + migration, StringComparison.Ordinal));
        Assert.True(index > 0, $"a migration comes before {migration} ({string.Join(", ", migrations)})");
        await db.GetService<IMigrator>().MigrateAsync(migrations[index - 1]);
        return db;
    }

    /// <summary>Inserts a job row and returns its id.</summary>
    public static async Task<long> InsertJobAsync(
        JobsHarness jobs, JobsDbContext db, string type, string? payload, JobStatus status, TimeSpan? interval = null)
    {
        var provider = jobs.Services.GetRequiredService<SqlJobDriver>().Provider;

        // Where the engine bumps the version, rows start at 1; elsewhere the database keeps it.
        var bumps = provider.BumpVersion.Length > 0;
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText =
            "INSERT INTO jobs (type, queue, payload, priority, run_at, scheduled_at, interval_ms, status, max_retries, attempt, created_at, " +
            "cancel_requested" + (bumps ? ", version" : "") + ") VALUES (@type, 'default', @payload, 0, @now, @now, @interval, @status, 0, 0, @now, " +
            "@no" + (bumps ? ", 1)" : ")");
        provider.AddParameter(command, "@type", type);
        provider.AddParameter(command, "@payload", payload);
        provider.AddParameter(command, "@now", DateTime.UtcNow);
        provider.AddParameter(command, "@interval", interval is { } i ? (long)i.TotalMilliseconds : null);
        provider.AddParameter(command, "@status", status);
        provider.AddParameter(command, "@no", false);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return await db.Jobs.MaxAsync(j => j.Id);
    }
}
