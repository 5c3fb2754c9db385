using System.ComponentModel;

namespace Jobs;

/// <summary>Why a change to a job was refused (<see cref="InvalidJobStateException.Reason"/>), so callers need not read the message.</summary>
public enum JobStateProblem
{
    /// <summary>The action does not apply to the job in its current state (cancelling a finished job, say).</summary>
    NotApplicable = 0,

    /// <summary>The job changed since the caller saw it (<see cref="JobTarget"/>); the caller should look at its current state.</summary>
    ChangedMeanwhile = 1,

    /// <summary>The job was deleted.</summary>
    Deleted = 2,

    /// <summary>The former name of <see cref="Deleted"/>: the same value.</summary>
    [Obsolete("Use Deleted: Delete is the one word for removing a job.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    Destroyed = Deleted,

    /// <summary>The job kept changing while the change was retried; trying again later may succeed.</summary>
    KeptChanging = 3,
}
