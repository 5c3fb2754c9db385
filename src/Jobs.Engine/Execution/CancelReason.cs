namespace Jobs.Execution;

internal enum CancelReason
{
    None = 0,
    Operator = 1,
    Timeout = 2,
    Shutdown = 3,

    /// <summary>The job is no longer this pool's: deleted, or rescued by another pool.</summary>
    Lost = 4,

    /// <summary>The pool could not reach the database for nearly <see cref="PoolOptions.StaleTimeout"/>: other pools may
    /// rescue the job, so this attempt stops and the job is queued again once the database answers.</summary>
    Fenced = 5,
}
