namespace Jobs;

/// <summary>A filter, order and page for <see cref="IJobMonitor.ListAsync"/>; bulk actions of <see cref="IJobAdmin"/> use its filter
/// only. Results come in claim order unless <see cref="Sort"/> says otherwise.</summary>
public sealed class JobQuery
{
    /// <summary>Only jobs in this state.</summary>
    public JobStatus? Status { get; set; }

    /// <summary>Only jobs of this type.</summary>
    public string? Type { get; set; }

    /// <summary>Only jobs in this queue.</summary>
    public string? Queue { get; set; }

    /// <summary>Only recurring jobs (true) or only one-off jobs (false). Default: both.</summary>
    public bool? Recurring { get; set; }

    /// <summary>Only jobs whose run time (<see cref="Job.RunAt"/>) is later than this: with <see cref="JobStatus.Queued"/>, the
    /// jobs scheduled for the future rather than waiting for a worker. Default: none.</summary>
    public DateTimeOffset? RunAtAfter { get; set; }

    /// <summary>Only jobs that used at least this many attempts (<see cref="Job.Attempt"/>): 1 with <see cref="JobStatus.Queued"/>
    /// lists the jobs waiting to be retried (a failed attempt's back-off, or a pool that died during the attempt). Default: none.</summary>
    public int? MinAttempt { get; set; }

    /// <summary>Text the job's type, payload, last error type or last error message contains; a whole number also matches the
    /// job with that id. A substring match in the database, ignoring case in every script on every provider, with <c>%</c>,
    /// <c>_</c> and <c>[</c> taken literally; inside the payload's JSON strings a quote or backslash matches as itself.
    /// Default: none.</summary>
    public string? Search { get; set; }

    /// <summary>The order. Default: <see cref="JobSort.ClaimOrder"/>.</summary>
    public JobSort Sort { get; set; } = JobSort.ClaimOrder;

    /// <summary>Reverses the order (newest first with <see cref="JobSort.Id"/>). Default: false.</summary>
    public bool Descending { get; set; }

    /// <summary>How many matching jobs to skip. Default: 0.</summary>
    public int Skip { get; set; }

    /// <summary>The page size (1 to 1000). Default: 50.</summary>
    public int Take { get; set; } = 50;

    /// <summary>Counts the matches no further than this for <see cref="JobPage.Total"/>, which is then this + 1 when more
    /// match: a bounded cost on tables of millions. Default: null (an exact count).</summary>
    public long? CountAtMost { get; set; }
}
