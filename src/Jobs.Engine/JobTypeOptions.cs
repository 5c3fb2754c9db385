using System.ComponentModel.DataAnnotations;

namespace Jobs;

/// <summary>How jobs of one type run.</summary>
public sealed class JobTypeOptions
{
    /// <summary>The most retries a job may have, for this option and <see cref="JobScheduleOptions.MaxRetries"/>.</summary>
    internal const int MaxRetriesLimit = 1000;

    /// <summary>How many times a failed attempt is retried (0 to 1000): a job runs at most this plus one times. Default: 3.</summary>
    [Range(0, JobTypeOptions.MaxRetriesLimit)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The queue jobs of this type go to, unless the scheduling call names one. Default: the engine's default queue.</summary>
    public string? Queue { get; set; }

    /// <summary>The priority of jobs of this type, unless the scheduling call gives one. Higher runs first. Default: 0.</summary>
    public int Priority { get; set; }

    /// <summary>How long one attempt may run before its token is cancelled and it fails with a timeout. Default: none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.0000001", "1.00:00:00")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>The wait between attempts.</summary>
    public RetryBackoff Backoff { get; } = new();
}
