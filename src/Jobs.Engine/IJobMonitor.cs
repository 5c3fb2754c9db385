namespace Jobs;

/// <summary>Read-only queries over stored jobs, for app code and the dashboard.</summary>
public interface IJobMonitor
{
    /// <summary>How many jobs are in each state; every state is present, with 0 where none are.</summary>
    Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>A page of jobs matching the query, in claim order.</summary>
    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>The history of one job, oldest first; kept after the job is destroyed.</summary>
    Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Durations of the most recent successful attempts (of one type, or of all), at most <paramref name="sample"/> of them.</summary>
    Task<JobDurationStats> GetDurationStatsAsync(string? type = null, int sample = 1000, CancellationToken cancellationToken = default);

    /// <summary>The pools that announced themselves and have not been removed.</summary>
    Task<IReadOnlyList<PoolInfo>> GetPoolsAsync(CancellationToken cancellationToken = default);
}
