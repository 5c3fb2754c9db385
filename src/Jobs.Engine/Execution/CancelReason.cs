namespace Jobs.Execution;

internal enum CancelReason
{
    None = 0,
    Operator = 1,
    Timeout = 2,
    Shutdown = 3,

    /// <summary>The job is no longer this pool's: destroyed, or rescued by another pool.</summary>
    Lost = 4,
}
