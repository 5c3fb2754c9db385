namespace Jobs;

/// <summary>A filter and page for <see cref="IJobMonitor.ListAsync"/>. Results come in claim order: priority (highest first), run time, id.</summary>
public sealed class JobQuery
{
    /// <summary>Only jobs in this state.</summary>
    public JobStatus? Status { get; set; }

    /// <summary>Only jobs of this type.</summary>
    public string? Type { get; set; }

    /// <summary>Only jobs in this queue.</summary>
    public string? Queue { get; set; }

    /// <summary>How many matching jobs to skip. Default: 0.</summary>
    public int Skip { get; set; }

    /// <summary>The page size (1 to 1000). Default: 50.</summary>
    public int Take { get; set; } = 50;
}
