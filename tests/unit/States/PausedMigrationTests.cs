using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.States;

/// <summary>The PausedStatus migration: before it, a paused recurring job was stored as cancelled; after it, every such row is paused
/// (and resumable as before), while cancelled one-off jobs and other rows keep their status.</summary>
public sealed class PausedMigrationTests
{
    [Theory, AllProviders]
    public async Task StartAsync_RecurringJobPausedBeforeTheUpgrade_ReadsPausedAndResumes(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        long paused, cancelled, queued;
        await using (var previous = await CreateAsync(database))
        {
            await using var db = await EarlierSchema.MigrateToBeforeAsync(previous, "PausedStatus");
            paused = await EarlierSchema.InsertJobAsync(previous, db, "tick", null, JobStatus.Cancelled, TimeSpan.FromHours(1));
            cancelled = await EarlierSchema.InsertJobAsync(previous, db, "tick", null, JobStatus.Cancelled);
            queued = await EarlierSchema.InsertJobAsync(previous, db, "tick", null, JobStatus.Queued, TimeSpan.FromHours(1));
        }

        await using var jobs = await CreateAsync(database);

        var job = await jobs.Client.GetAsync(paused);
        Assert.Equal(JobStatus.Paused, job.Status);
        Assert.False((await jobs.Services.GetRequiredService<SqlJobDriver>().FindAsync(paused, CancellationToken.None))!.PauseRequested);
        Assert.Equal(JobStatus.Cancelled, (await jobs.Client.GetAsync(cancelled)).Status);
        Assert.Equal(JobStatus.Queued, (await jobs.Client.GetAsync(queued)).Status);
        Assert.Equal([true, false], (await jobs.Monitor.GetRecurringAsync()).Select(r => r.Paused));
        var resumed = await jobs.Services.GetRequiredService<IJobAdmin>().ResumeAsync(JobTarget.Seen(job));
        Assert.Equal(JobStatus.Queued, resumed.Status);
    }

    private static Task<JobsHarness> CreateAsync(Action<JobsOptions> database)
        => JobsHarness.CreateAsync(database, b => b.AddJobType("tick", _ => Task.CompletedTask), startPool: false);
}
