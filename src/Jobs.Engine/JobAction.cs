namespace Jobs;

/// <summary>An operator action of <see cref="IJobAdmin"/>, for bulk use.</summary>
public enum JobAction
{
    /// <summary>Queues a failed, cancelled or finished job again to run now, with a fresh retry budget.</summary>
    Retry = 0,

    /// <summary>Moves the run time of a queued job to now.</summary>
    RunNow = 1,

    /// <summary>Cancels a queued job, or cancels the token of an executing one, which then ends cancelled.</summary>
    Cancel = 2,

    /// <summary>Deletes the job (its history is kept); an executing job's token is cancelled.</summary>
    Delete = 3,

    /// <summary>Stops a recurring job from running again until resumed: a queued one is paused at once; an executing one has its
    /// token cancelled and ends paused.</summary>
    Pause = 4,

    /// <summary>Queues a paused (or cancelled, failed or finished) recurring job again for its next occurrence.</summary>
    Resume = 5,
}
