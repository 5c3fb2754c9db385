namespace Jobs;

/// <summary>What happened to a job, as recorded in its history.</summary>
public enum JobEventKind
{
    /// <summary>The job was stored.</summary>
    Scheduled = 0,

    /// <summary>A pool claimed the job and started an attempt.</summary>
    Started = 1,

    /// <summary>An attempt completed successfully.</summary>
    Succeeded = 2,

    /// <summary>The last attempt failed; the job is failed (or, if recurring, waits for its next run).</summary>
    Failed = 3,

    /// <summary>An attempt failed and another one is scheduled.</summary>
    RetryScheduled = 4,

    /// <summary>The job was cancelled.</summary>
    Cancelled = 5,

    /// <summary>The job's pool stopped beating and another pool re-queued the job.</summary>
    Rescued = 6,

    /// <summary>The job was deleted.</summary>
    Destroyed = 7,

    /// <summary>The job's run time was changed, or a finished job was queued again.</summary>
    Rescheduled = 8,

    /// <summary>The handler reported progress.</summary>
    Progress = 9,

    /// <summary>Cancellation was requested for an executing job.</summary>
    CancelRequested = 10,

    /// <summary>The pool shut down before the attempt finished and gave the job back to the queue.</summary>
    Released = 11,
}
