namespace Jobs.Storage.Model;

/// <summary>A row of the append-only <c>job_events</c> table; <see cref="Id"/> is the change-feed cursor.</summary>
internal sealed class JobEventRecord
{
    public long Id { get; set; }
    public long JobId { get; set; }
    public DateTime At { get; set; }
    public JobEventKind Kind { get; set; }
    public int Attempt { get; set; }
    public string? PoolId { get; set; }
    public string? Message { get; set; }
    public string? ErrorType { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorStackTrace { get; set; }

    /// <summary>Who asked for the change, for an operator's action; null for the engine's own events.</summary>
    public string? Actor { get; set; }
}
