using Jobs.Execution;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Scheduling;

/// <summary>Operator and app-code commands on one job. Each reads the row, asks <see cref="JobStateMachine"/> what applies, and
/// writes with a compare-and-swap; a lost swap re-reads and decides again, unless the caller pinned the state it saw
/// (<see cref="JobTarget"/>) and the job moved on.</summary>
internal sealed class JobOperations(IJobDriver store, TimeProvider time, RunningJobs running, JobSignal signal)
{
    private const int MaxRounds = 20;
    private const string RescheduledWord = "rescheduled";

    public TimeProvider Time => time;

    public async Task<JobRecord> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            return record;
        }

        throw await store.WasDeletedAsync(id, cancellationToken).ConfigureAwait(false)
            ? new JobNotFoundException(id, $"Job {id} was deleted.")
            : new JobNotFoundException(id);
    }

    public Task<JobRecord> CancelAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
        => ApplyAsync(JobAction.Cancel, Target(id, expectedVersion), cancellationToken);

    public Task<JobRecord> RescheduleAsync(long id, DateTimeOffset runAt, long? expectedVersion, CancellationToken cancellationToken)
    {
        var at = StoredTime.Truncate(runAt.UtcDateTime);
        return ChangeAsync(Target(id, expectedVersion), RescheduledWord,
            (job, now) => Plan(job, JobStateMachine.Reschedule(JobState.Of(job)), RescheduledWord, now, at), cancellationToken);
    }

    public async Task DeleteAsync(long id, long? expectedVersion, CancellationToken cancellationToken)
        => await ApplyAsync(JobAction.Delete, Target(id, expectedVersion), cancellationToken).ConfigureAwait(false);

    /// <summary>One operator action on one job, its events naming <paramref name="actor"/> when given. Returns the fresh row, or
    /// for a delete the row as it was.</summary>
    public Task<JobRecord> ApplyAsync(JobAction action, JobTarget target, CancellationToken cancellationToken, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ChangeAsync(target, JobActionWords.PastTense(action), (job, now) => Plan(action, job, now, actor), cancellationToken,
            returnFresh: action != JobAction.Delete);
    }

    public async Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long id, CancellationToken cancellationToken)
        => [.. (await store.ReadHistoryAsync(id, cancellationToken).ConfigureAwait(false)).Select(ToEvent)];

    internal static JobEvent ToEvent(JobEventRecord e) => new(
        e.Id, e.JobId, new DateTimeOffset(e.At, TimeSpan.Zero), e.Kind, e.Attempt, e.PoolId, e.Message,
        e.ErrorType is null ? null : new JobError(e.ErrorType, e.ErrorMessage ?? "", e.ErrorStackTrace ?? ""))
    {
        Actor = e.Actor,
    };

    /// <summary>The change an action makes to a job in its current state, as <see cref="JobStateMachine"/> decides it. Throws
    /// <see cref="InvalidJobStateException"/> when the action does not apply to that state.</summary>
    public static PlannedChange Plan(JobAction action, JobRecord job, DateTime now, string? actor = null)
    {
        var change = Plan(job, JobStateMachine.Decide(action, JobState.Of(job)), JobActionWords.PastTense(action), now, now);
        change.Update?.By(actor);
        return change;
    }

    /// <summary>What a won change sets off in this process: a cancelled token, or a wake-up of the fetcher.</summary>
    public void AfterWin(PlannedChange change, JobRecord job)
    {
        switch (change.Transition)
        {
            case JobTransition.RequestCancel or JobTransition.RequestPause or JobTransition.AlreadyRequested:
                running.TryCancel(job.Id, CancelReason.Operator);
                break;
            case JobTransition.Delete:
                running.TryCancel(job.Id, CancelReason.Lost);
                break;
        }

        if (change.Update?.WakeAt is { } due)
        {
            signal.Notify(due);
        }
    }

    public static InvalidJobStateException ChangedMeanwhile(long id, JobStatus? now, string participle)
        => new(id, now, JobStateProblem.ChangedMeanwhile,
            $"Job {id} changed meanwhile (now {now?.ToString() ?? "deleted"}); it was not {participle}. Review its current state and try again.");

    private static JobTarget Target(long id, long? expectedVersion) => new(id, expectedVersion);

    private static PlannedChange Plan(JobRecord job, JobDecision decision, string participle, DateTime now, DateTime at)
        => decision.Transition is { } transition
            ? new PlannedChange(transition, OperatorUpdates.For(transition, job, now, at))
            : throw new InvalidJobStateException(job.Id, job.Status, JobStateProblem.NotApplicable,
                $"Job {job.Id} is {job.Status.ToString().ToLowerInvariant()} and cannot be {participle}: {decision.Refusal}.");

    private async Task<JobRecord> ChangeAsync(
        JobTarget target,
        string participle,
        Func<JobRecord, DateTime, PlannedChange> plan,
        CancellationToken cancellationToken,
        bool returnFresh = true)
    {
        var id = target.JobId;
        JobStatus? last = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            var job = await LoadDeleteAwareAsync(id, participle, cancellationToken).ConfigureAwait(false);
            last = job.Status;
            if (!target.StillAsSeen(job.Version, job.Status, job.Attempt))
            {
                throw ChangedMeanwhile(id, job.Status, participle);
            }

            var change = plan(job, StoredTime.UtcNow(time));
            if (change.Update is not { } update)
            {
                AfterWin(change, job);
                return job;
            }

            if (returnFresh)
            {
                // Read back in the same transaction: a pool may claim the job the moment it commits.
                if (await store.ApplyAndReadAsync(update, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false) is { } fresh)
                {
                    AfterWin(change, job);
                    return fresh;
                }
            }
            else if ((await store.ApplyAsync([update], time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false))[0])
            {
                AfterWin(change, job);
                return job;
            }

            // Lost the swap: the next round re-reads, and refuses if the job is no longer as the caller saw it.
        }

        throw new InvalidJobStateException(id, last, JobStateProblem.KeptChanging, $"Job {id} kept changing; it could not be {participle}. Try again.");
    }

    private async Task<JobRecord> LoadDeleteAwareAsync(long id, string verb, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            return record;
        }

        throw await store.WasDeletedAsync(id, cancellationToken).ConfigureAwait(false)
            ? new InvalidJobStateException(id, null, JobStateProblem.Deleted, $"Job {id} was deleted; it cannot be {verb}.")
            : new JobNotFoundException(id);
    }
}
