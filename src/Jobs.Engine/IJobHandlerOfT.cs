namespace Jobs;

/// <summary>A job handler, resolved from a dependency-injection scope per job.</summary>
/// <typeparam name="TArgs">The payload type, serialized to JSON when the job is scheduled.</typeparam>
public interface IJobHandler<in TArgs>
{
    /// <summary>Runs one attempt. Throwing fails the attempt; it is retried while retries are left.</summary>
    Task ExecuteAsync(TArgs args, JobContext context);
}
