using Jobs.Execution;
using Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Scheduling;

/// <summary>Operator and app-code commands on one job. Each reads the row, decides, and writes with a compare-and-swap;
/// a lost swap re-reads and decides again, unless the caller pinned the state it saw (<see cref="JobTarget"/>) and the job moved on.</summary>
internal sealed class JobOperations(JobStore store, StorageInitializer initializer, TimeProvider time, RunningJobs running, JobSignal signal)
{
    private const int MaxRounds = 20;

    public TimeProvider Time => time;

    public async Task<JobRecord> LoadAsync(long id, CancellationToken cancellationToken)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            return record;
        }

        throw await store.WasDestroyedAsync(id, cancellationToken).ConfigureAwait(false)
            ? new JobNotFoundException(id, $"Job {id} was destroyed.")
            : new JobNotFoundException(id);
    }

    public Task<JobRecord> CancelAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
        => ApplyAsync(JobAction.Cancel, Target(id, expectedVersion), cancellationToken);

    public Task<JobRecord> RescheduleAsync(long id, DateTimeOffset runAt, long? expectedVersion, CancellationToken cancellationToken)
    {
        var at = StoredTime.Truncate(runAt.UtcDateTime);
        return ChangeAsync(id, Target(id, expectedVersion), "rescheduled", (job, _) => DecideReschedule(job, at), _ => signal.Notify(at), cancellationToken);
    }

    public async Task DestroyAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
        => await ApplyAsync(JobAction.Delete, Target(id, expectedVersion), cancellationToken).ConfigureAwait(false);

    /// <summary>One operator action on one job. Returns the fresh row, or for a delete the row as it was.</summary>
    public Task<JobRecord> ApplyAsync(JobAction action, JobTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ChangeAsync(target.JobId, target, Participle(action), (job, now) => Decide(action, job, now), job => AfterWin(action, job),
            cancellationToken, returnFresh: action != JobAction.Delete);
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

    /// <summary>The change an action makes to a job in its current state; null when there is nothing to change (a cancel already
    /// requested). Throws <see cref="InvalidJobStateException"/> when the action does not apply to that state.</summary>
    public static JobUpdate? Decide(JobAction action, JobRecord job, DateTime now) => action switch
    {
        JobAction.Cancel => DecideCancel(job, now, "Cancelled before it ran", "Cancellation requested while executing"),
        JobAction.Delete => new JobUpdate(job.Id, job.Version).Delete().Event(JobEventKind.Destroyed, job.Attempt, null, $"Destroyed while {job.Status}"),
        JobAction.Retry => job.Status switch
        {
            JobStatus.Failed or JobStatus.Cancelled or JobStatus.Finished => Requeue(job, now, job.ScheduledAt, $"Retried by an operator ({job.Status} before)"),
            JobStatus.Queued => throw Refuse(job, "retried", "it is already queued; run it now instead"),
            _ => throw Refuse(job, "retried", "cancel it or let it end first"),
        },
        JobAction.RunNow => job.Status == JobStatus.Queued
            ? new JobUpdate(job.Id, job.Version).Set("run_at", now).Wake(now).Event(JobEventKind.Rescheduled, job.Attempt, null, "Run now, by an operator")
            : throw Refuse(job, "run now", job.Status == JobStatus.Executing ? "it is running" : "only queued jobs can; retry it instead"),
        JobAction.Pause => job.IntervalMs is null
            ? throw Refuse(job, "paused", "only recurring jobs can be paused; cancel it instead")
            : DecideCancel(job, now, "Paused by an operator", "Paused by an operator; the running occurrence is cancelled"),
        JobAction.Resume => job switch
        {
            { IntervalMs: null } => throw Refuse(job, "resumed", "only recurring jobs can be resumed"),
            { Status: JobStatus.Queued or JobStatus.Executing } => throw Refuse(job, "resumed", "it is not paused"),
            { IntervalMs: { } ms } => Resume(job, now, ms),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <summary>What a won action sets off in this process: a cancelled token, or a wake-up of the fetcher.</summary>
    public void AfterWin(JobAction action, JobRecord job)
    {
        switch (action)
        {
            case JobAction.Cancel or JobAction.Pause when job.Status == JobStatus.Executing:
                running.TryCancel(job.Id, CancelReason.Operator);
                break;
            case JobAction.Delete:
                running.TryCancel(job.Id, CancelReason.Lost);
                break;
            case JobAction.Retry or JobAction.RunNow or JobAction.Resume:
                signal.Notify(time.GetUtcNow().UtcDateTime);
                break;
        }
    }

    public static string Participle(JobAction action) => action switch
    {
        JobAction.Retry => "retried",
        JobAction.RunNow => "run now",
        JobAction.Cancel => "cancelled",
        JobAction.Delete => "deleted",
        JobAction.Pause => "paused",
        JobAction.Resume => "resumed",
        _ => action.ToString(),
    };

    public static InvalidJobStateException ChangedMeanwhile(long id, JobStatus? now, string participle)
        => new(id, now, $"Job {id} changed meanwhile (now {now?.ToString() ?? "destroyed"}); it was not {participle}. Review its current state and try again.");

    private static JobTarget Target(long id, long? expectedVersion) => new(id, expectedVersion);

    private static JobUpdate? DecideCancel(JobRecord job, DateTime now, string queuedMessage, string executingMessage) => job.Status switch
    {
        JobStatus.Queued => new JobUpdate(job.Id, job.Version)
            .Set("status", JobStatus.Cancelled).Set("finished_at", now)
            .Event(JobEventKind.Cancelled, job.Attempt, null, queuedMessage),
        JobStatus.Executing when job.CancelRequested => null,
        JobStatus.Executing => new JobUpdate(job.Id, job.Version)
            .Set("cancel_requested", true)
            .Event(JobEventKind.CancelRequested, job.Attempt, job.PoolId, executingMessage),
        _ => throw Refuse(job, "cancelled", "only queued or executing jobs can be cancelled"),
    };

    private static JobUpdate DecideReschedule(JobRecord job, DateTime at) => job.Status switch
    {
        JobStatus.Queued => new JobUpdate(job.Id, job.Version)
            .Set("run_at", at).Set("scheduled_at", at).Wake(at)
            .Event(JobEventKind.Rescheduled, job.Attempt, null, $"Run time set to {at:o}"),
        JobStatus.Executing => throw Refuse(job, "rescheduled", "cancel it or let it end first"),
        _ => Requeue(job, at, at, $"Queued again ({job.Status} before) to run at {at:o}"),
    };

    private static JobUpdate Resume(JobRecord job, DateTime now, long intervalMs)
    {
        // The occurrence it was waiting for, if still ahead; else the first one after now, on the same cadence (missed ones are not run).
        var next = job.ScheduledAt > now ? job.ScheduledAt : Transitions.NextOccurrence(job.ScheduledAt, intervalMs, now);
        return Requeue(job, next, next, $"Resumed by an operator ({job.Status} before); next run at {next:o}");
    }

    /// <summary>Back to the queue with a fresh retry budget.</summary>
    private static JobUpdate Requeue(JobRecord job, DateTime runAt, DateTime scheduledAt, string message)
        => new JobUpdate(job.Id, job.Version)
            .Set("status", JobStatus.Queued).Set("run_at", runAt).Set("scheduled_at", scheduledAt).Set("attempt", 0)
            .Set("pool_id", null).Set("cancel_requested", false).Wake(runAt)
            .Event(JobEventKind.Rescheduled, job.Attempt, null, message);

    private async Task<JobRecord> ChangeAsync(
        long id,
        JobTarget? target,
        string verb,
        Func<JobRecord, DateTime, JobUpdate?> decide,
        Action<JobRecord> afterWin,
        CancellationToken cancellationToken,
        bool returnFresh = true)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var job = await LoadDestroyAwareAsync(id, verb, cancellationToken).ConfigureAwait(false);
            if (target is not null && !target.StillAsSeen(job.Version, job.Status, job.Attempt))
            {
                throw ChangedMeanwhile(id, job.Status, verb);
            }

            var update = decide(job, StoredTime.UtcNow(time));
            if (update is null)
            {
                afterWin(job);
                return job;
            }

            if (returnFresh)
            {
                // Read back in the same transaction: a pool may claim the job the moment it commits.
                if (await store.ApplyAndReadAsync(update, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false) is { } fresh)
                {
                    afterWin(job);
                    return fresh;
                }
            }
            else if ((await store.ApplyAsync([update], time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false))[0])
            {
                afterWin(job);
                return job;
            }

            // Lost the swap: the next round re-reads, and refuses if the job is no longer as the caller saw it.
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
