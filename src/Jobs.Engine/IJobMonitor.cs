namespace Jobs;

/// <summary>Read-only queries over stored jobs, for app code and the dashboard.</summary>
public interface IJobMonitor
{
    /// <summary>How many jobs are in each state; every state is present, with 0 where none are.</summary>
    Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>How many jobs are in each state, counting no state beyond <paramref name="atMost"/>: a count above
    /// <paramref name="atMost"/> (it is then <paramref name="atMost"/> + 1) means "more than that". Its cost is bounded by
    /// <paramref name="atMost"/> index entries per state, where an exact count reads every row: what a dashboard polling a
    /// table of millions needs.</summary>
    Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(long atMost, CancellationToken cancellationToken = default);

    /// <summary>A page of jobs matching the query, in the query's order, with the number of all matches.</summary>
    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>The history of one job, oldest first; kept after the job is deleted.</summary>
    Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Durations of the most recent successful attempts (of one type, or of all), at most <paramref name="sample"/> of them.</summary>
    Task<JobDurationStats> GetDurationStatsAsync(string? type = null, int sample = 1000, CancellationToken cancellationToken = default);

    /// <summary>The pools that announced themselves and have not been removed.</summary>
    Task<IReadOnlyList<PoolInfo>> GetPoolsAsync(CancellationToken cancellationToken = default);

    /// <summary>The change feed: events of every job, recorded by any process, with an id above <paramref name="afterEventId"/>,
    /// oldest first, at most <paramref name="limit"/> (1 to 10,000) of them. Pass the last id seen to read on.</summary>
    /// <remarks>Where concurrent transactions can commit ids out of order (not SQLite), a reader that must not miss an event
    /// re-reads a short window behind its cursor.</remarks>
    Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterEventId, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>The audit log: events of operators' actions taken with a name (<see cref="IJobAdmin.ActingAs"/>), newest first, at most
    /// <paramref name="limit"/> (1 to 10,000) of them with an id below <paramref name="beforeEventId"/> when given (pass the last
    /// id of a page to read the next). A bulk action writes one event per job it changed.</summary>
    Task<IReadOnlyList<JobEvent>> GetAuditLogAsync(int limit = 100, long? beforeEventId = null, CancellationToken cancellationToken = default);

    /// <summary>Deleted jobs, newest deletion first: the Deleted event each left in its history (the rows are gone; the event's
    /// message names the state, type and queue the job had), at most <paramref name="limit"/> (1 to 10,000) with an id below
    /// <paramref name="beforeEventId"/> when given.</summary>
    Task<IReadOnlyList<JobEvent>> GetDeletedAsync(int limit = 100, long? beforeEventId = null, CancellationToken cancellationToken = default);

    /// <summary>The id of the latest event, or 0 when there is none: the cursor that starts a change feed at "now".</summary>
    Task<long> GetLatestEventIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Every job type registered in this process or found in stored jobs, by name, with its job counts per state.</summary>
    Task<IReadOnlyList<JobTypeInfo>> GetJobTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Recurring jobs (paused ones included), by id, each with the outcome of its last run; at most <paramref name="limit"/> (1 to 10,000).</summary>
    Task<IReadOnlyList<RecurringJobInfo>> GetRecurringAsync(int limit = 1000, CancellationToken cancellationToken = default);
}
