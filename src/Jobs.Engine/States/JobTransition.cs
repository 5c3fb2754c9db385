namespace Jobs.States;

/// <summary>What an operator action does to a job, as <see cref="JobStateMachine"/> decides it; the row change for each is built
/// where the SQL lives (<c>Scheduling.OperatorUpdates</c>).</summary>
internal enum JobTransition
{
    /// <summary>Queued → cancelled: it never runs.</summary>
    Cancel,

    /// <summary>Executing: cancellation is requested, its token is cancelled and it ends cancelled.</summary>
    RequestCancel,

    /// <summary>Queued recurring → paused.</summary>
    Pause,

    /// <summary>Executing recurring: cancellation is requested and it ends paused instead of cancelled.</summary>
    RequestPause,

    /// <summary>Executing, and what was asked for is requested already: nothing to store. The attempt's token is cancelled
    /// again, which reaches it at once if it runs in this process.</summary>
    AlreadyRequested,

    /// <summary>Ended → queued to run now, with a fresh retry budget.</summary>
    Requeue,

    /// <summary>Queued: due now; a recurring job keeps its cadence.</summary>
    RunNow,

    /// <summary>Recurring, paused or ended → queued at its next occurrence, with a fresh retry budget.</summary>
    Resume,

    /// <summary>Queued: a new run time.</summary>
    Move,

    /// <summary>Ended or paused → queued at a given time, with a fresh retry budget.</summary>
    RequeueAt,

    /// <summary>The row is deleted (its history is kept); an executing attempt's token is cancelled.</summary>
    Delete,
}
