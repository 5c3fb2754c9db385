using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.States;

/// <summary>Brings a fresh job into a named state of <see cref="JobStateMachineTests"/>: through the operator's commands where an
/// operator can, and by writing the row where only a pool could (executing, finished, failed), so no worker timing is involved.</summary>
internal static class StateSetup
{
    public const string Type = "tick";
    public const string DeadPool = "pool-that-stopped";

    public static readonly string[] OneOff = ["Queued", "Executing", "CancelRequested", "Finished", "Failed", "Cancelled"];
    public static readonly string[] Recurring = [.. OneOff, "PauseRequested", "Paused"];

    /// <summary>A new job in <paramref name="state"/>; a pool that would run it is not started.</summary>
    public static async Task<Job> NewJobAsync(JobsHarness jobs, string state, bool recurring)
    {
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var options = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) };
        var job = recurring
            ? await jobs.Client.ScheduleRecurringAsync(Type, TimeSpan.FromHours(1), options)
            : await jobs.Client.ScheduleAsync(Type, options);
        switch (state)
        {
            case "Queued":
                break;
            case "Executing":
                await WriteStatusAsync(jobs, job.Id, JobStatus.Executing);
                break;
            case "CancelRequested":
                await WriteStatusAsync(jobs, job.Id, JobStatus.Executing);
                await admin.CancelAsync(new JobTarget(job.Id));
                break;
            case "PauseRequested":
                await WriteStatusAsync(jobs, job.Id, JobStatus.Executing);
                await admin.PauseAsync(new JobTarget(job.Id));
                break;
            case "Finished":
                await WriteStatusAsync(jobs, job.Id, JobStatus.Finished);
                break;
            case "Failed":
                await WriteStatusAsync(jobs, job.Id, JobStatus.Failed);
                break;
            case "Cancelled":
                await admin.CancelAsync(new JobTarget(job.Id));
                break;
            case "Paused":
                await admin.PauseAsync(new JobTarget(job.Id));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown state.");
        }

        return await jobs.Client.GetAsync(job.Id);
    }

    /// <summary>What a pool's claim (then, for an ended status, its outcome) would have left: the first attempt, under a pool that
    /// has since stopped beating.</summary>
    private static async Task WriteStatusAsync(JobsHarness jobs, long id, JobStatus status)
    {
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();
        await using var db = store.CreateContext();
        var bump = store.Provider.BumpVersion.Length > 0 ? ", " + store.Provider.BumpVersion : "";
        var finished = status == JobStatus.Executing ? "NULL" : "{2}";
        var sql = "UPDATE jobs SET status = {0}, attempt = 1, pool_id = {1}, started_at = {2}, finished_at = " + finished + bump + " WHERE id = {3}";
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(sql, (int)status, DeadPool, DateTime.UtcNow, id));
    }
}
