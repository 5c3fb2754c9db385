using Jobs.Execution;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Scheduling;

/// <summary>The row change and event for each operator transition. Which transition applies is not decided here but by
/// <see cref="JobStateMachine"/>.</summary>
internal static class OperatorUpdates
{
    /// <summary>The update that makes <paramref name="transition"/> on <paramref name="job"/>; null when there is nothing to store.
    /// <paramref name="at"/> is the run time a reschedule asked for.</summary>
    public static JobUpdate? For(JobTransition transition, JobRecord job, DateTime now, DateTime at) => transition switch
    {
        JobTransition.Cancel => Update(job, JobChange.Cancelled(now))
            .Event(JobEventKind.Cancelled, job.Attempt, null, "Cancelled before it ran"),
        JobTransition.RequestCancel => Update(job, JobChange.CancelRequest())
            .Event(JobEventKind.CancelRequested, job.Attempt, job.PoolId, "Cancellation requested while executing"),
        JobTransition.Pause => Update(job, JobChange.Paused(now))
            .Event(JobEventKind.Cancelled, job.Attempt, null, "Paused by an operator"),
        JobTransition.RequestPause => Update(job, JobChange.PauseRequest())
            .Event(JobEventKind.CancelRequested, job.Attempt, job.PoolId, "Paused by an operator; the running occurrence is cancelled"),
        JobTransition.AlreadyRequested => null,
        JobTransition.Requeue => Requeue(job, now, job.ScheduledAt, $"Retried by an operator ({job.Status} before)"),
        JobTransition.RunNow => Update(job, JobChange.RunNow(now)).Wake(now)
            .Event(JobEventKind.Rescheduled, job.Attempt, null, "Run now, by an operator"),
        JobTransition.Resume => Resume(job, now),
        JobTransition.Move => Update(job, JobChange.Moved(at)).Wake(at)
            .Event(JobEventKind.Rescheduled, job.Attempt, null, $"Run time set to {at:o}"),
        JobTransition.RequeueAt => Requeue(job, at, at, $"Queued again ({job.Status} before) to run at {at:o}"),
        JobTransition.Delete => Update(job, JobChange.Deleted()).Event(JobEventKind.Destroyed, job.Attempt, null, $"Deleted while {job.Status} ({job.Type} in queue {job.Queue})"),
        _ => throw new ArgumentOutOfRangeException(nameof(transition), transition, "Unknown transition."),
    };

    private static JobUpdate Update(JobRecord job, JobChange change) => new(job.Id, job.Version, change);

    private static JobUpdate Resume(JobRecord job, DateTime now)
    {
        var intervalMs = job.IntervalMs ?? throw new InvalidOperationException($"Job {job.Id} is not recurring.");

        // The occurrence it was waiting for, if still ahead; else the first one after now, on the same cadence (missed ones are not run).
        var next = job.ScheduledAt > now ? job.ScheduledAt : Transitions.NextOccurrence(job.ScheduledAt, intervalMs, now);
        return Requeue(job, next, next, $"Resumed by an operator ({job.Status} before); next run at {next:o}");
    }

    /// <summary>Back to the queue with a fresh retry budget, and no request of an earlier attempt left standing.</summary>
    private static JobUpdate Requeue(JobRecord job, DateTime runAt, DateTime scheduledAt, string message)
        => Update(job, JobChange.Requeued(runAt, scheduledAt)).Wake(runAt)
            .Event(JobEventKind.Rescheduled, job.Attempt, null, message);
}
