namespace Jobs;

/// <summary>The requested change does not apply to the job in its current state; nothing was changed.</summary>
public sealed class InvalidJobStateException : InvalidOperationException
{
    /// <summary>Creates the exception, for a change that does not apply (<see cref="JobStateProblem.NotApplicable"/>).</summary>
    public InvalidJobStateException(long jobId, JobStatus? currentStatus, string message)
        : this(jobId, currentStatus, JobStateProblem.NotApplicable, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidJobStateException(long jobId, JobStatus? currentStatus, JobStateProblem reason, string message)
        : base(message)
    {
        JobId = jobId;
        CurrentStatus = currentStatus;
        Reason = reason;
    }

    /// <summary>Creates the exception.</summary>
    public InvalidJobStateException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidJobStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidJobStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The job.</summary>
    public long JobId { get; }

    /// <summary>The job's status when the change was refused; null when the job was deleted.</summary>
    public JobStatus? CurrentStatus { get; }

    /// <summary>Why the change was refused.</summary>
    public JobStateProblem Reason { get; }
}
