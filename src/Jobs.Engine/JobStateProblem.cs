namespace Jobs;

/// <summary>Why a change to a job was refused (<see cref="InvalidJobStateException.Reason"/>), so callers need not read the message.</summary>
public enum JobStateProblem
{
    /// <summary>The action does not apply to the job in its current state (cancelling a finished job, say).</summary>
    NotApplicable = 0,

    /// <summary>The job changed since the caller saw it (<see cref="JobTarget"/>); the caller should look at its current state.</summary>
    ChangedMeanwhile = 1,

    /// <summary>The job was destroyed.</summary>
    Destroyed = 2,

    /// <summary>The job kept changing while the change was retried; trying again later may succeed.</summary>
    KeptChanging = 3,
}
