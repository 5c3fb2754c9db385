using System.ComponentModel.DataAnnotations;

namespace Jobs;

/// <summary>Per-call settings of a scheduled job; anything left null comes from the job type.</summary>
public sealed class JobScheduleOptions
{
    /// <summary>Higher runs first. Default: the job type's priority.</summary>
    public int? Priority { get; set; }

    /// <summary>The earliest time the job may run, kept to the microsecond (finer ticks are cut). Default: now.</summary>
    public DateTimeOffset? RunAt { get; set; }

    /// <summary>The queue: 1 to 200 characters, no control characters. Default: the job type's queue.</summary>
    public string? Queue { get; set; }

    /// <summary>Overrides the job type's retry count for this job (0 to 1000).</summary>
    [Range(0, JobTypeOptions.MaxRetriesLimit)]
    public int? MaxRetries { get; set; }
}
