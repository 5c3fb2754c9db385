namespace Jobs.Storage.Model;

/// <summary>A row of the <c>job_pools</c> table: one per running pool.</summary>
internal sealed class PoolRecord
{
    public string Id { get; set; } = "";
    public string Host { get; set; } = "";
    public int ProcessId { get; set; }
    public int NumWorkers { get; set; }
    public string Queues { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
}
