namespace Jobs.Storage.Model;

/// <summary>A row of the <c>job_pools</c> table: one per running pool.</summary>
internal sealed class PoolRecord
{
    public string Id { get; set; } = "";
    public string Host { get; set; } = "";
    public int ProcessId { get; set; }
    public int NumWorkers { get; set; }
    public string Queues { get; set; } = "";

    /// <summary>The job types the pool runs, as a JSON array; null for a pool of a version that did not say.</summary>
    public string? JobTypes { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
}
