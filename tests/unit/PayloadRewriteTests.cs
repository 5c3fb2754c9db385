using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>Payloads stored before the ReadablePayloads migration, with every non-ASCII character and apostrophe escaped, are
/// rewritten readable at start-up (each row a compare-and-swap), so search finds them like new ones.</summary>
public sealed class PayloadRewriteTests
{
    internal sealed record Note(string Text);

    // What the previous default options (JsonSerializerDefaults.Web, default encoder) stored for these texts.
    private const string EscapedObrien = """{"text":"O\u0027Brien \u00DCber \u003Cb\u003E"}""";
    private const string EscapedEmoji = """{"text":"ok \uD83D\uDE00"}""";

    [Theory, AllProviders]
    public async Task StartAsync_PayloadsStoredEscapedBeforeTheUpgrade_RewrittenReadableAndFound(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        long obrien, emoji, none, emojiVersion;
        await using (var previous = await CreateAsync(database))
        {
            await using var db = await EarlierSchema.MigrateToBeforeAsync(previous, "ReadablePayloads");
            obrien = await EarlierSchema.InsertJobAsync(previous, db, "p", EscapedObrien, JobStatus.Finished);
            emoji = await EarlierSchema.InsertJobAsync(previous, db, "p", EscapedEmoji, JobStatus.Finished);
            none = await EarlierSchema.InsertJobAsync(previous, db, "p", null, JobStatus.Finished);
            emojiVersion = await db.Jobs.Where(j => j.Id == emoji).Select(j => j.Version).SingleAsync();
        }

        await using var jobs = await CreateAsync(database);

        var found = Assert.Single((await jobs.Monitor.ListAsync(new JobQuery { Search = "über" })).Items);
        Assert.Equal(obrien, found.Id);
        Assert.Equal("""{"text":"O'Brien Über <b>"}""", found.Payload);
        Assert.Equal([obrien], (await jobs.Monitor.ListAsync(new JobQuery { Search = "o'brien ü" })).Items.Select(j => j.Id));
        Assert.Equal([obrien], (await jobs.Monitor.ListAsync(new JobQuery { Search = "<b>" })).Items.Select(j => j.Id));

        // Escapes the stored form keeps (a character outside the BMP) leave the row as it was: not even its version moves.
        var unchanged = await jobs.Client.GetAsync(emoji);
        Assert.Equal(EscapedEmoji, unchanged.Payload);
        Assert.Equal(emojiVersion, unchanged.Version);
        Assert.Equal([emoji], (await jobs.Monitor.ListAsync(new JobQuery { Search = "😀" })).Items.Select(j => j.Id));
        Assert.Null((await jobs.Client.GetAsync(none)).Payload);
        Assert.Equal((none, none), await ProgressAsync(jobs));
    }

    [Theory, AllProviders]
    public async Task StartAsync_RewriteInterrupted_ResumesAfterTheRecordedProgress(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        long first, second, third;
        await using (var previous = await CreateAsync(database))
        {
            await using var db = await EarlierSchema.MigrateToBeforeAsync(previous, "ReadablePayloads");
            first = await EarlierSchema.InsertJobAsync(previous, db, "p", EscapedObrien, JobStatus.Finished);
            second = await EarlierSchema.InsertJobAsync(previous, db, "p", EscapedObrien, JobStatus.Finished);
            third = await EarlierSchema.InsertJobAsync(previous, db, "p", EscapedObrien, JobStatus.Finished);

            // The upgrade's migration ran, and a start-up rewrote the first row before it stopped.
            await db.GetService<IMigrator>().MigrateAsync();
            await db.DataMigrations.ExecuteUpdateAsync(s => s.SetProperty(m => m.DoneThroughId, first));
        }

        await using var jobs = await CreateAsync(database);
        var found = (await jobs.Monitor.ListAsync(new JobQuery { Search = "über", Sort = JobSort.Id })).Items.Select(j => j.Id);

        // Rows up to the recorded progress count as done and are not scanned again (the interrupted run would have rewritten
        // the first; here it kept its escapes, which shows it was skipped).
        Assert.Equal([second, third], found);
        Assert.Equal(EscapedObrien, (await jobs.Client.GetAsync(first)).Payload);
        Assert.Equal((third, third), await ProgressAsync(jobs));
    }

    [Theory, AllProviders]
    public async Task RewriteAsync_RowChangedAfterItWasRead_RewritesTheNewStateAndKeepsTheChange(string provider)
    {
        await using var jobs = await CreateAsync(await TestDatabases.CreateAsync(provider));
        var job = await jobs.Client.ScheduleAsync("p", new Note("x"), new JobScheduleOptions { Priority = 1 });
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();
        await ExecuteAsync(store, "payload = {0}", EscapedObrien, job.Id);
        var seen = (await store.FindAsync(job.Id, default))!;

        // Another writer moves the row between the rewrite's read and its write.
        await ExecuteAsync(store, "priority = {0}", 7, job.Id);
        var moved = (await store.FindAsync(job.Id, default))!.Version;
        var rewritten = await jobs.Services.GetRequiredService<SqlJobDriver>().Payloads.RewriteAsync([seen], default);

        var row = (await store.FindAsync(job.Id, default))!;
        Assert.Equal(1, rewritten);
        Assert.Equal("""{"text":"O'Brien Über <b>"}""", row.Payload);
        Assert.Equal(7, row.Priority);
        Assert.NotEqual(seen.Version, moved);
        Assert.NotEqual(moved, row.Version);
    }

    private static Task<JobsHarness> CreateAsync(Action<JobsOptions> database)
        => JobsHarness.CreateAsync(database, b => b.AddJobType<Note>("p", (_, _) => Task.CompletedTask), startPool: false);

    private static async Task<(long DoneThroughId, long LastId)> ProgressAsync(JobsHarness jobs)
    {
        await using var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        var progress = await db.DataMigrations.SingleAsync(m => m.Name == PayloadRewriter.Name);
        return (progress.DoneThroughId, progress.LastId);
    }

    /// <summary>A plain write of one column, moving the version as every write does.</summary>
    private static async Task ExecuteAsync(SqlJobDriver store, string set, object value, long id)
    {
        await using var db = store.CreateContext();
        var bump = store.Provider.BumpVersion.Length > 0 ? ", " + store.Provider.BumpVersion : "";
        var sql = "UPDATE jobs SET " + set + bump + " WHERE id = {1}";
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(sql, value, id));
    }
}
