namespace Jobs;

/// <summary>A running pool, as it announced itself.</summary>
/// <param name="Id">The pool id.</param>
/// <param name="Host">The machine name.</param>
/// <param name="ProcessId">The process id.</param>
/// <param name="NumWorkers">Its number of workers.</param>
/// <param name="Executing">How many jobs it is executing.</param>
/// <param name="Queues">The queues it serves.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="HeartbeatAt">Its last heartbeat.</param>
public sealed record PoolInfo(
    string Id, string Host, int ProcessId, int NumWorkers, int Executing, IReadOnlyList<string> Queues, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt)
{
    /// <summary>The job types it runs (those registered in its process); null for a pool of an earlier version, which did not say.</summary>
    public IReadOnlyList<string>? JobTypes { get; init; }
}
