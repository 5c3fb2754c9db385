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

    /// <summary>The id that was looked up.</summary>
    public long JobId { get; }
}
