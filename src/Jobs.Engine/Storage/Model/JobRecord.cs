namespace Jobs.Storage.Model;

/// <summary>A row of the <c>jobs</c> table.</summary>
internal sealed class JobRecord
{
    public long Id { get; set; }
    public string Type { get; set; } = "";
    public string Queue { get; set; } = "";
    public string? Payload { get; set; }
    public int Priority { get; set; }

    /// <summary>When the next attempt may start.</summary>
    public DateTime RunAt { get; set; }

    /// <summary>The nominal time of the current occurrence; recurring jobs count their interval from it, not from retries.</summary>
    public DateTime ScheduledAt { get; set; }

    public long? IntervalMs { get; set; }
    public JobStatus Status { get; set; }
    public int MaxRetries { get; set; }
    public int Attempt { get; set; }
    public string? PoolId { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? LastErrorType { get; set; }
    public string? LastErrorMessage { get; set; }
    public string? LastErrorStackTrace { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>Set with <see cref="CancelRequested"/> when an operator paused the executing job: it ends paused, not cancelled.</summary>
    public bool PauseRequested { get; set; }
    public string? UniqueKey { get; set; }
    public int? ProgressPercent { get; set; }
    public string? ProgressMessage { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the activity that scheduled the job, if any: each attempt's span links to it.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; set; }

    /// <summary>The compare-and-swap token; every write bumps it.</summary>
    public long Version { get; set; }
}
