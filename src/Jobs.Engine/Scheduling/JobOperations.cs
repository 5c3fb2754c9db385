using Jobs.Execution;
using Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Scheduling;

/// <summary>Operator and app-code commands on one job. Each reads the row, decides, and writes with a compare-and-swap;
/// a lost swap re-reads and decides again, unless the caller pinned the version it saw.</summary>
internal sealed class JobOperations(JobStore store, StorageInitializer initializer, TimeProvider time, RunningJobs running, JobSignal signal)
{
    private const int MaxRounds = 20;

    public async Task<JobRecord> LoadAsync(long id, CancellationToken cancellationToken)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            return record;
        }

        throw await store.WasDestroyedAsync(id, cancellationToken).ConfigureAwait(false)
            ? new JobNotFoundException($"Job {id} was destroyed.")
            : new JobNotFoundException(id);
    }

    public Task<JobRecord> CancelAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
        => ChangeAsync(id, expectedVersion, "cancelled", (job, now) => job.Status switch
        {
            JobStatus.Queued => new JobUpdate(job.Id, job.Version)
                .Set("status", JobStatus.Cancelled).Set("finished_at", now)
                .Event(JobEventKind.Cancelled, job.Attempt, null, "Cancelled before it ran"),
            JobStatus.Executing when job.CancelRequested => null,
            JobStatus.Executing => new JobUpdate(job.Id, job.Version)
                .Set("cancel_requested", true)
                .Event(JobEventKind.CancelRequested, job.Attempt, job.PoolId, "Cancellation requested while executing"),
            _ => throw Refuse(job, "cancelled", "only queued or executing jobs can be cancelled"),
        }, job =>
        {
            if (job.Status == JobStatus.Executing)
            {
                running.TryCancel(job.Id, CancelReason.Operator);
            }
        }, cancellationToken);

    public Task<JobRecord> RescheduleAsync(long id, DateTimeOffset runAt, long? expectedVersion, CancellationToken cancellationToken)
    {
        var at = runAt.UtcDateTime;
        return ChangeAsync(id, expectedVersion, "rescheduled", (job, now) => job.Status switch
        {
            JobStatus.Queued => new JobUpdate(job.Id, job.Version)
                .Set("run_at", at).Set("scheduled_at", at).Wake(at)
                .Event(JobEventKind.Rescheduled, job.Attempt, null, $"Run time set to {at:o}"),
            JobStatus.Executing => throw Refuse(job, "rescheduled", "cancel it or let it end first"),
            _ => new JobUpdate(job.Id, job.Version)
                .Set("status", JobStatus.Queued).Set("run_at", at).Set("scheduled_at", at).Set("attempt", 0).Wake(at)
                .Set("pool_id", null).Set("cancel_requested", false)
                .Event(JobEventKind.Rescheduled, job.Attempt, null, $"Queued again ({job.Status} before) to run at {at:o}"),
        }, _ => signal.Notify(at), cancellationToken);
    }

    public async Task DestroyAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
    {
        await ChangeAsync(id, expectedVersion, "destroyed", (job, _) => new JobUpdate(job.Id, job.Version)
            .Delete()
            .Event(JobEventKind.Destroyed, job.Attempt, null, $"Destroyed while {job.Status}"),
            job => running.TryCancel(job.Id, CancelReason.Lost),
            cancellationToken, returnFresh: false).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long id, CancellationToken cancellationToken)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.JobEvents.AsNoTracking().Where(e => e.JobId == id).OrderBy(e => e.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToEvent)];
        }
    }

    internal static JobEvent ToEvent(JobEventRecord e) => new(
        e.Id, e.JobId, new DateTimeOffset(e.At, TimeSpan.Zero), e.Kind, e.Attempt, e.PoolId, e.Message,
        e.ErrorType is null ? null : new JobError(e.ErrorType, e.ErrorMessage ?? "", e.ErrorStackTrace ?? ""));

    private async Task<JobRecord> ChangeAsync(
        long id,
        long? expectedVersion,
        string verb,
        Func<JobRecord, DateTime, JobUpdate?> decide,
        Action<JobRecord> afterWin,
        CancellationToken cancellationToken,
        bool returnFresh = true)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var job = await LoadDestroyAwareAsync(id, verb, cancellationToken).ConfigureAwait(false);
            if (expectedVersion is { } seen && job.Version != seen)
            {
                throw new InvalidJobStateException(id, job.Status,
                    $"Job {id} changed meanwhile (now {job.Status}); it was not {verb}. Review its current state and try again.");
            }

            var update = decide(job, time.GetUtcNow().UtcDateTime);
            if (update is null)
            {
                afterWin(job);
                return job;
            }

            var won = await store.ApplyAsync([update], time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            if (won[0])
            {
                afterWin(job);
                return returnFresh ? await LoadAsync(id, cancellationToken).ConfigureAwait(false) : job;
            }

            if (expectedVersion is not null)
            {
                var fresh = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
                throw new InvalidJobStateException(id, fresh?.Status,
                    $"Job {id} changed meanwhile (now {fresh?.Status.ToString() ?? "destroyed"}); it was not {verb}. Review its current state and try again.");
            }
        }

        throw new InvalidJobStateException(id, null, $"Job {id} kept changing; it could not be {verb}. Try again.");
    }

    private async Task<JobRecord> LoadDestroyAwareAsync(long id, string verb, CancellationToken cancellationToken)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            return record;
        }

        throw await store.WasDestroyedAsync(id, cancellationToken).ConfigureAwait(false)
            ? new InvalidJobStateException(id, null, $"Job {id} was destroyed; it cannot be {verb}.")
            : new JobNotFoundException(id);
    }

    private static InvalidJobStateException Refuse(JobRecord job, string participle, string why)
        => new(job.Id, job.Status, $"Job {job.Id} is {job.Status.ToString().ToLowerInvariant()} and cannot be {participle}: {why}.");
}
