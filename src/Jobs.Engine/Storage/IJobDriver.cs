using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Jobs.Storage;

/// <summary>Everything the engine asks of its database, as whole operations: each state change arrives as a
/// <see cref="JobUpdate"/> carrying a typed <see cref="JobChange"/>, never as SQL, and each provider answers with its own
/// statements. Every operation prepares the database first (schema check, migrations) when it has not been yet.</summary>
/// <remarks>One implementation serves all providers (<see cref="Sql.SqlJobDriver"/>) with per-provider SQL in
/// <c>Storage/Sqlite</c>, <c>Storage/PostgreSql</c> and <c>Storage/SqlServer</c>; the contract every provider must keep is
/// pinned by the driver contract tests.</remarks>
internal interface IJobDriver
{
    /// <summary>A short name of the database for logs and metrics (sqlite, postgresql, sqlserver).</summary>
    string Name { get; }

    /// <summary>True when <paramref name="exception"/> says the database could not be reached or is busy for the moment, so
    /// the same write will succeed once it answers; false when the write itself is refused and retrying cannot help.</summary>
    bool IsTransient(Exception exception);

    /// <summary>Inserts queued jobs and their Scheduled events in one transaction and wakes idle pools; returns the rows
    /// with their ids, in the order given.</summary>
    Task<IReadOnlyList<JobRecord>> InsertAsync(IReadOnlyList<NewJob> jobs, DateTime now, CancellationToken cancellationToken);

    /// <summary>Claims up to <see cref="ClaimRequest.Limit"/> ready jobs for a pool (executing, next attempt, Started event),
    /// passing over rows another pool is claiming, in claim order (priority, then run time, then id). The pick and the move
    /// are one statement under the rows' locks, so every row picked is claimed: a claim never loses a race.</summary>
    Task<List<JobRecord>> ClaimReadyAsync(ClaimRequest claim, DateTime now, CancellationToken cancellationToken);

    /// <summary>Applies compare-and-swaps in one transaction; an update's events are written only if it won. Returns, per
    /// update, whether it won.</summary>
    Task<bool[]> ApplyAsync(IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken);

    /// <summary>One compare-and-swap and, if it won, the row as it left it, read in the same transaction. Null when it lost.</summary>
    Task<JobRecord?> ApplyAndReadAsync(JobUpdate update, DateTime now, CancellationToken cancellationToken);

    /// <summary>The completer's write: stores outcomes, then claims work for the workers they freed, in one transaction.</summary>
    Task<(bool[] Applied, List<JobRecord> Claimed)> ApplyAndClaimAsync(
        IReadOnlyList<JobUpdate> updates, ClaimRequest claim, DateTime now, CancellationToken cancellationToken);

    /// <summary>Stores progress of an executing job at <paramref name="version"/>; the new version, or null when it moved.</summary>
    Task<long?> UpdateProgressAsync(long id, long version, int percent, string? message, string poolId, int attempt, DateTime now, CancellationToken cancellationToken);

    Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>The jobs of <paramref name="ids"/> that exist, by id.</summary>
    Task<List<JobRecord>> FindManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> jobs matching <paramref name="filter"/> with an id above <paramref name="afterId"/>, by id:
    /// a keyset walk over every match.</summary>
    Task<List<JobRecord>> FindMatchingAsync(JobQuery filter, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>True when the job's history says it was deleted (its row is gone).</summary>
    Task<bool> WasDeletedAsync(long id, CancellationToken cancellationToken);

    /// <summary>A page of jobs matching <paramref name="query"/> and how many match (at most its CountAtMost + 1).</summary>
    Task<(List<JobRecord> Rows, long Total)> ReadPageAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>Jobs per state; with <paramref name="atMost"/>, each count stops one past it.</summary>
    Task<Dictionary<JobStatus, long>> CountByStatusAsync(long? atMost, CancellationToken cancellationToken);

    /// <summary>Jobs per type and state.</summary>
    Task<List<(string Type, JobStatus Status, long Count)>> CountByTypeAsync(CancellationToken cancellationToken);

    /// <summary>Per queue with queued jobs: how many are queued (due or not) and the run time of the oldest one due at
    /// <paramref name="now"/> (null when none is due yet). One grouped read of the queued rows, for the leader's gauges.</summary>
    Task<List<QueueReading>> ReadQueuesAsync(DateTime now, CancellationToken cancellationToken);

    /// <summary>How long the last <paramref name="sample"/> succeeded jobs (of <paramref name="type"/>, when given) ran, in no order.</summary>
    Task<List<TimeSpan>> ReadDurationsAsync(string? type, int sample, CancellationToken cancellationToken);

    /// <summary>Recurring jobs by id, each with its last Succeeded or Failed event.</summary>
    Task<List<(JobRecord Job, JobEventRecord? LastRun)>> ReadRecurringAsync(int limit, CancellationToken cancellationToken);

    Task<List<JobEventRecord>> ReadHistoryAsync(long id, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="afterEventId"/> in order: the change feed.</summary>
    Task<List<JobEventRecord>> ReadEventsAsync(long afterEventId, int limit, CancellationToken cancellationToken);

    Task<long> ReadLatestEventIdAsync(CancellationToken cancellationToken);

    /// <summary>The run time of the ready job (queued, run time at or before <paramref name="now"/>) that is next in claim
    /// order, or null when none is ready: one seek on the claim index, however many rows the table holds.</summary>
    Task<DateTime?> ReadNextReadyRunAtAsync(DateTime now, CancellationToken cancellationToken);

    /// <summary>The events <paramref name="which"/> selects with an id below <paramref name="beforeEventId"/>, newest first.</summary>
    Task<List<JobEventRecord>> ReadLatestEventsAsync(LatestEvents which, long beforeEventId, int limit, CancellationToken cancellationToken);

    /// <summary>For the jobs a pool runs: which it no longer owns (deleted, rescued, ended elsewhere) and which an operator
    /// asked to cancel.</summary>
    Task<(List<long> Lost, List<long> CancelRequested)> CheckOwnershipAsync(string poolId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Every job the database says <paramref name="poolId"/> is executing (id, version, attempt, pool, state only).</summary>
    Task<List<JobRecord>> FindExecutingAsync(string poolId, CancellationToken cancellationToken);

    /// <summary>Executing jobs whose pool has not beaten since <paramref name="staleBefore"/> (or has no row at all).</summary>
    Task<List<JobRecord>> FindOrphansAsync(DateTime staleBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Records a pool's beat, inserting its row on the first beat or after another pool removed it.</summary>
    Task HeartbeatAsync(PoolRecord pool, DateTime now, CancellationToken cancellationToken);

    Task RemovePoolAsync(string poolId, CancellationToken cancellationToken);

    /// <summary>Every pool row, oldest first, with how many jobs each executes.</summary>
    Task<List<(PoolRecord Pool, int Executing)>> ReadPoolsAsync(CancellationToken cancellationToken);

    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="period"/>, by compare-and-swap: true when <paramref name="holder"/> holds it now (it held it, nobody did,
    /// or the last holder let it expire); false when another holder's lease is still running.</summary>
    Task<bool> TryTakeLeaseAsync(string name, string holder, DateTime now, TimeSpan period, CancellationToken cancellationToken);

    /// <summary>Gives up the lease if <paramref name="holder"/> holds it, so the next taker need not wait for it to expire.</summary>
    Task ResignLeaseAsync(string name, string holder, DateTime now, CancellationToken cancellationToken);

    /// <summary>Removes pools that have not beaten since <paramref name="staleBefore"/> and returns them.</summary>
    Task<List<PoolRecord>> RemoveStalePoolsAsync(DateTime staleBefore, CancellationToken cancellationToken);

    /// <summary>The channel other processes' wake-ups arrive on; null where the database has none (pools then poll).</summary>
    string? WakeChannel { get; }

    /// <summary>One listening session for other processes' wake-ups (jobs ready from a time, or null for "look now"): returns
    /// when its connection is lost or <paramref name="cancellationToken"/> fires, throws when it cannot connect. The pool's
    /// listener loop runs it again. Only where <see cref="WakeChannel"/> is set. <paramref name="time"/> paces a listener
    /// that has to look for changes itself (SQLite); while <paramref name="woken"/> says an earlier wake-up is still untaken
    /// (the fetcher is busy and has not looked since), such a listener need not look.</summary>
    Task ListenAsync(Action<DateTime?> wake, Func<bool> woken, TimeProvider time, ILogger logger, CancellationToken cancellationToken);
}
