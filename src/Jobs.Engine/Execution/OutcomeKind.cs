namespace Jobs.Execution;

internal enum OutcomeKind
{
    Succeeded = 0,
    Retry = 1,
    Failed = 2,
    Cancelled = 3,

    /// <summary>The pool stopped before the attempt ended; the job goes back to the queue without using an attempt.</summary>
    Released = 4,

    /// <summary>The job's pool died; another pool re-queues it.</summary>
    Rescued = 5,

    /// <summary>A recurring job's attempt was cancelled because an operator paused it: it ends paused.</summary>
    Paused = 6,
}
