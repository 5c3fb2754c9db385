namespace Jobs;

/// <summary>The requested change does not apply to the job in its current state; nothing was changed.</summary>
public sealed class InvalidJobStateException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public InvalidJobStateException(long jobId, JobStatus? currentStatus, string message)
        : base(message)
    {
        JobId = jobId;
        CurrentStatus = currentStatus;
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

    /// <summary>The job's status when the change was refused; null when the job was destroyed.</summary>
    public JobStatus? CurrentStatus { get; }
}
