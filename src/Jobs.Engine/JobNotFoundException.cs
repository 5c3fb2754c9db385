namespace Jobs;

/// <summary>No stored job has the requested id.</summary>
public sealed class JobNotFoundException : Exception
{
    /// <summary>Creates the exception for a job id.</summary>
    public JobNotFoundException(long jobId)
        : base($"Job {jobId} was not found.")
    {
        JobId = jobId;
    }

    /// <summary>Creates the exception for a job id, with a message that says more (such as that the job was deleted).</summary>
    public JobNotFoundException(long jobId, string message)
        : base(message)
    {
        JobId = jobId;
    }

    /// <summary>Creates the exception.</summary>
    public JobNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The id that was looked up; 0 only when the exception was created without one.</summary>
    public long JobId { get; }
}
