namespace Jobs;

/// <summary>A job handler without a payload, resolved from a dependency-injection scope per job.</summary>
public interface IJobHandler
{
    /// <summary>Runs one attempt. Throwing fails the attempt; it is retried while retries are left.</summary>
    Task ExecuteAsync(JobContext context);
}
