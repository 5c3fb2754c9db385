namespace Jobs;

/// <summary>A job type: as registered in this process, and how many of its jobs are in each state.</summary>
/// <param name="Name">The job type name.</param>
/// <param name="Registered">False for a type found only in stored jobs (registered in another process, or no longer).</param>
/// <param name="Queue">Its queue, when registered here.</param>
/// <param name="MaxRetries">Its retries, when registered here.</param>
/// <param name="Priority">Its priority, when registered here.</param>
/// <param name="Timeout">Its per-attempt timeout, when registered here and set.</param>
/// <param name="Counts">Jobs per state; every state is present.</param>
public sealed record JobTypeInfo(
    string Name, bool Registered, string? Queue, int? MaxRetries, int? Priority, TimeSpan? Timeout, IReadOnlyDictionary<JobStatus, long> Counts);
