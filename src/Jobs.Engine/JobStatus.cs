namespace Jobs;

/// <summary>The life-cycle state of a stored job.</summary>
public enum JobStatus
{
    /// <summary>Waiting for its run time and a free worker.</summary>
    Queued = 0,

    /// <summary>Claimed by a pool; its handler is running.</summary>
    Executing = 1,

    /// <summary>The handler completed successfully.</summary>
    Finished = 2,

    /// <summary>Every attempt failed; the last error is kept on the job.</summary>
    Failed = 3,

    /// <summary>Cancelled before or while it ran.</summary>
    Cancelled = 4,

    /// <summary>A recurring job an operator paused: it does not run until resumed (<see cref="JobAction.Resume"/>).</summary>
    Paused = 5,
}
