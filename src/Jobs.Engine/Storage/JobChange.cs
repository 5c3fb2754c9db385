namespace Jobs.Storage;

/// <summary>A change to one job, said by what it means (succeeded at, retry at with an error, released...) instead of by
/// column: the drivers turn it into their own SQL, so a new column is one property here and one line per driver.</summary>
/// <remarks>Only the properties a change sets are written; null means "left as it is".</remarks>
internal sealed record JobChange
{
    public JobStatus? Status { get; init; }

    public DateTime? RunAt { get; init; }

    public DateTime? ScheduledAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>The job leaves its pool (<c>pool_id</c> cleared).</summary>
    public bool LeavesPool { get; init; }

    public AttemptChange Attempt { get; init; }

    public bool? CancelRequested { get; init; }

    public bool? PauseRequested { get; init; }

    /// <summary>True when the change sets the job's last error, to <see cref="Error"/> (null clears it).</summary>
    public bool SetsError { get; init; }

    public JobError? Error { get; init; }

    /// <summary>The last progress the attempt reported, stored with its outcome.</summary>
    public (int Percent, string? Message)? Progress { get; init; }

    /// <summary>A rewritten payload (the payload migration); null leaves the payload alone.</summary>
    public string? Payload { get; init; }

    /// <summary>True when the row is removed instead of changed.</summary>
    public bool Deletes { get; init; }

    public static JobChange Succeeded(DateTime at) => new() { Status = JobStatus.Finished, FinishedAt = at };

    public static JobChange FailedForGood(DateTime at, JobError? error) => new JobChange { Status = JobStatus.Failed, FinishedAt = at }.WithError(error);

    public static JobChange RetryAt(DateTime runAt, DateTime at, JobError? error)
        => new JobChange { Status = JobStatus.Queued, RunAt = runAt, FinishedAt = at, LeavesPool = true }.WithError(error);

    /// <summary>A recurring job waits for its next occurrence with a fresh retry budget and no request left standing.</summary>
    public static JobChange NextOccurrence(DateTime next, DateTime at) => Requeued(next, next) with { FinishedAt = at };

    public static JobChange Cancelled(DateTime at) => new() { Status = JobStatus.Cancelled, FinishedAt = at };

    public static JobChange Paused(DateTime at) => new() { Status = JobStatus.Paused, FinishedAt = at };

    /// <summary>Back to the queue as if never claimed: the attempt is not used.</summary>
    public static JobChange Released() => new() { Status = JobStatus.Queued, Attempt = AttemptChange.Undo, LeavesPool = true };

    /// <summary>Back to the queue from a dead pool, ready at once; the attempt counts.</summary>
    public static JobChange Rescued(DateTime at) => new() { Status = JobStatus.Queued, RunAt = at, LeavesPool = true };

    public static JobChange CancelRequest() => new() { CancelRequested = true };

    public static JobChange PauseRequest() => new() { CancelRequested = true, PauseRequested = true };

    /// <summary>Ready now; the schedule the job keeps (<see cref="ScheduledAt"/>) stays as it was.</summary>
    public static JobChange RunNow(DateTime at) => new() { RunAt = at };

    public static JobChange Moved(DateTime at) => new() { RunAt = at, ScheduledAt = at };

    /// <summary>Back to the queue with a fresh retry budget, and no request of an earlier attempt left standing.</summary>
    public static JobChange Requeued(DateTime runAt, DateTime scheduledAt) => new()
    {
        Status = JobStatus.Queued,
        RunAt = runAt,
        ScheduledAt = scheduledAt,
        Attempt = AttemptChange.Reset,
        LeavesPool = true,
        CancelRequested = false,
        PauseRequested = false,
    };

    public static JobChange Deleted() => new() { Deletes = true };

    public static JobChange PayloadRewritten(string payload) => new() { Payload = payload };

    public JobChange WithError(JobError? error) => this with { SetsError = true, Error = error };

    public JobChange WithProgress(int percent, string? message) => this with { Progress = (percent, message) };
}
