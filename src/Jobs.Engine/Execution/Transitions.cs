using System.Globalization;
using Jobs.Storage;

namespace Jobs.Execution;

/// <summary>The row change and events for each way an attempt can end; shared by the completer and the rescuer so both
/// write the same thing. Which way applies when the row moved meanwhile is <see cref="States.JobStateMachine"/>'s decision.</summary>
internal static class Transitions
{
    /// <summary>The update for an outcome; its events carry the outcome's time, not the time the completer got to store them.</summary>
    public static JobUpdate For(JobOutcome o) => Build(o).StampEvents(o.At);

    private static JobUpdate Build(JobOutcome o)
    {
        var job = o.Job;
        var took = o.Elapsed is { } e ? $"took {e.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms" : null;
        switch (o.Kind)
        {
            case OutcomeKind.Succeeded when job.IntervalMs is { } ms:
                var next = NextOccurrence(job.ScheduledAt, ms, o.At);
                return Update(o, JobChange.NextOccurrence(next, o.At)).Wake(next)
                    .Event(JobEventKind.Succeeded, job.Attempt, o.PoolId, $"{took}; next run at {next:o}");
            case OutcomeKind.Succeeded:
                return Update(o, JobChange.Succeeded(o.At))
                    .Event(JobEventKind.Succeeded, job.Attempt, o.PoolId, took);
            case OutcomeKind.Retry:
                return Update(o, JobChange.RetryAt(o.RetryAt!.Value, o.At, o.Error)).Wake(o.RetryAt.Value)
                    .Event(JobEventKind.RetryScheduled, job.Attempt, o.PoolId,
                        $"Attempt {job.Attempt} of {job.MaxRetries + 1} failed; retry at {o.RetryAt:o}", o.Error);
            case OutcomeKind.Failed when job.IntervalMs is { } ms:
                var after = NextOccurrence(job.ScheduledAt, ms, o.At);
                return Update(o, JobChange.NextOccurrence(after, o.At).WithError(o.Error)).Wake(after)
                    .Event(JobEventKind.Failed, job.Attempt, o.PoolId, $"Run failed after {job.Attempt} attempts; next run at {after:o}", o.Error);
            case OutcomeKind.Failed:
                return Update(o, JobChange.FailedForGood(o.At, o.Error))
                    .Event(JobEventKind.Failed, job.Attempt, o.PoolId, $"Failed after {job.Attempt} attempts", o.Error);
            case OutcomeKind.Cancelled:
                return Update(o, JobChange.Cancelled(o.At))
                    .Event(JobEventKind.Cancelled, job.Attempt, o.PoolId, "Cancelled while executing");
            case OutcomeKind.Paused:
                return Update(o, JobChange.Paused(o.At))
                    .Event(JobEventKind.Cancelled, job.Attempt, o.PoolId, "Paused while executing; the running occurrence was cancelled");
            case OutcomeKind.Released:
                return Update(o, JobChange.Released()).Wake(o.At)
                    .Event(JobEventKind.Released, job.Attempt, o.PoolId, o.Message ?? "Pool shut down before the attempt ended; released to the queue");
            case OutcomeKind.Rescued:
                return Update(o, JobChange.Rescued(o.At)).Wake(o.At)
                    .Event(JobEventKind.Rescued, job.Attempt, o.PoolId, o.Message ?? $"Pool {job.PoolId} stopped beating during attempt {job.Attempt}; queued again");
            default:
                throw new ArgumentOutOfRangeException(nameof(o), o.Kind, "Unknown outcome.");
        }
    }

    /// <summary>The change with the progress the attempt last reported, which is stored with its outcome.</summary>
    private static JobUpdate Update(JobOutcome o, JobChange change)
        => new(o.Job.Id, o.Version, o.ProgressPercent is { } percent ? change.WithProgress(percent, o.ProgressMessage) : change);

    /// <summary>The first occurrence after <paramref name="now"/>, counted from the schedule, so downtime yields one run, not a burst.</summary>
    public static DateTime NextOccurrence(DateTime scheduledAt, long intervalMs, DateTime now)
    {
        if (scheduledAt > now)
        {
            return scheduledAt; // The run came early (an operator's "run now"): the occurrence it was waiting for still stands.
        }

        var interval = TimeSpan.FromMilliseconds(intervalMs).Ticks;
        var next = scheduledAt.Ticks + interval;
        if (next <= now.Ticks)
        {
            next += ((now.Ticks - next) / interval + 1) * interval;
        }

        return new DateTime(next, DateTimeKind.Utc);
    }
}
