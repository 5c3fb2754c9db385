using Jobs.Diagnostics;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Storage.Sql;

/// <summary>The driver every provider shares: whole operations built from the shared SQL (<see cref="SqlClaims"/>,
/// <see cref="SqlWrites"/>, <see cref="SqlInserts"/>), the EF reads (<see cref="EfJobReads"/>, <see cref="EfPoolRows"/>) and
/// the provider's own statements (<see cref="StorageProvider"/>, one per folder). Each operation first makes sure the
/// database is prepared, so no caller has to.</summary>
internal sealed class SqlJobDriver : IJobDriver
{
    private readonly StorageProvider _provider;
    private readonly SqlClaims _claims;
    private readonly SqlWrites _writes;
    private readonly SqlInserts _inserts;
    private readonly SqlOneTrip? _oneTrip;
    private readonly EfJobReads _reads;
    private readonly EfPoolRows _pools;
    private readonly EfLeases _leases;
    private readonly SqlSession _session;

    public SqlJobDriver(StorageProvider provider, JobsMetrics metrics, IOptions<JobsOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _provider = provider;
        _session = new SqlSession(provider, metrics);
        _claims = new SqlClaims(_session);
        _writes = new SqlWrites(_session);
        _inserts = new SqlInserts(_session);
        _oneTrip = provider.WritesEventsInStatement ? new SqlOneTrip(_session, _claims) : null;
        _reads = new EfJobReads(provider);
        _pools = new EfPoolRows(_session);
        _leases = new EfLeases(_session);
        Payloads = new PayloadRewriter(provider, _writes, time, loggers.CreateLogger<PayloadRewriter>());
        Initializer = new StorageInitializer(provider, Payloads, options, loggers.CreateLogger<StorageInitializer>());
    }

    /// <summary>Prepares the database once per process; the pool awaits it to report an unreachable database at start.</summary>
    public StorageInitializer Initializer { get; }

    public PayloadRewriter Payloads { get; }

    /// <summary>The provider's own SQL, for storage tests that write rows as an older schema or a hostile value would.</summary>
    public StorageProvider Provider => _provider;

    public string Name => _provider.Name;

    public JobsDbContext CreateContext() => _provider.CreateContext();

    public bool IsTransient(Exception exception) => _provider.IsTransient(exception);

    public async Task<IReadOnlyList<JobRecord>> InsertAsync(IReadOnlyList<NewJob> jobs, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        return await _inserts.InsertAsync(jobs, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<JobRecord>> ClaimReadyAsync(ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        if (_oneTrip is not null)
        {
            // One statement with its events: its own implicit transaction.
            return await InOneTripAsync(connection => _claims.ClaimInAsync(connection, null, claim, now, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return await _session.InWriteTransactionAsync((connection, tx) => _claims.ClaimInAsync(connection, tx, claim, now, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<bool[]> ApplyAsync(IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        if (_oneTrip is not null && updates.Count > 0)
        {
            return (await InOneTripAsync(connection => _oneTrip.RunAsync(connection, updates, null, now, cancellationToken), cancellationToken).ConfigureAwait(false)).Applied;
        }

        return await _writes.ApplyAsync(updates, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord?> ApplyAndReadAsync(JobUpdate update, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        return await _writes.ApplyAndReadAsync(update, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One transaction (and one candidate scan) per batch instead of two: the claim runs after the outcomes, and
    /// like <see cref="ClaimReadyAsync"/> is never cancelled once sent. One round trip where the provider writes events in
    /// statements (<see cref="SqlOneTrip"/>).</summary>
    public async Task<(bool[] Applied, List<JobRecord> Claimed)> ApplyAndClaimAsync(
        IReadOnlyList<JobUpdate> updates, ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        if (_oneTrip is not null)
        {
            return await InOneTripAsync(connection => _oneTrip.RunAsync(connection, updates, claim, now, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return await _session.InWriteTransactionAsync(async (connection, tx) =>
        {
            var applied = await _writes.ApplyInAsync(connection, tx, updates, now, cancellationToken).ConfigureAwait(false);
            var claimed = await _claims.ClaimInAsync(connection, tx, claim, now, cancellationToken).ConfigureAwait(false);
            return (applied, claimed);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> UpdateProgressAsync(long id, long version, int percent, string? message, string poolId, int attempt, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        return await _writes.UpdateProgressAsync(id, version, percent, message, poolId, attempt, now, cancellationToken).ConfigureAwait(false);
    }

    public Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken) => Read(() => _reads.FindAsync(id, cancellationToken), cancellationToken);

    public Task<List<JobRecord>> FindManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
        => Read(() => _reads.FindManyAsync(ids, cancellationToken), cancellationToken);

    public Task<List<JobRecord>> FindMatchingAsync(JobQuery filter, long afterId, int limit, CancellationToken cancellationToken)
        => Read(() => _reads.FindMatchingAsync(filter, afterId, limit, cancellationToken), cancellationToken);

    public Task<bool> WasDeletedAsync(long id, CancellationToken cancellationToken) => Read(() => _reads.WasDeletedAsync(id, cancellationToken), cancellationToken);

    public Task<(List<JobRecord> Rows, long Total)> ReadPageAsync(JobQuery query, CancellationToken cancellationToken)
        => Read(() => _reads.ReadPageAsync(query, cancellationToken), cancellationToken);

    public Task<Dictionary<JobStatus, long>> CountByStatusAsync(long? atMost, CancellationToken cancellationToken)
        => Read(() => _reads.CountByStatusAsync(atMost, cancellationToken), cancellationToken);

    public Task<List<(string Type, JobStatus Status, long Count)>> CountByTypeAsync(CancellationToken cancellationToken)
        => Read(() => _reads.CountByTypeAsync(cancellationToken), cancellationToken);

    public Task<List<QueueReading>> ReadQueuesAsync(DateTime now, CancellationToken cancellationToken)
        => Read(() => _reads.ReadQueuesAsync(now, cancellationToken), cancellationToken);

    public Task<List<TimeSpan>> ReadDurationsAsync(string? type, int sample, CancellationToken cancellationToken)
        => Read(() => _reads.ReadDurationsAsync(type, sample, cancellationToken), cancellationToken);

    public Task<List<(JobRecord Job, JobEventRecord? LastRun)>> ReadRecurringAsync(int limit, CancellationToken cancellationToken)
        => Read(() => _reads.ReadRecurringAsync(limit, cancellationToken), cancellationToken);

    public Task<List<JobEventRecord>> ReadHistoryAsync(long id, CancellationToken cancellationToken)
        => Read(() => _reads.ReadHistoryAsync(id, cancellationToken), cancellationToken);

    public Task<List<JobEventRecord>> ReadEventsAsync(long afterEventId, int limit, CancellationToken cancellationToken)
        => Read(() => _reads.ReadEventsAsync(afterEventId, limit, cancellationToken), cancellationToken);

    public Task<List<JobEventRecord>> ReadLatestEventsAsync(LatestEvents which, long beforeEventId, int limit, CancellationToken cancellationToken)
        => Read(() => _reads.ReadLatestEventsAsync(which, beforeEventId, limit, cancellationToken), cancellationToken);

    public Task<long> ReadLatestEventIdAsync(CancellationToken cancellationToken) => Read(() => _reads.ReadLatestEventIdAsync(cancellationToken), cancellationToken);

    public Task<DateTime?> ReadNextReadyRunAtAsync(DateTime now, CancellationToken cancellationToken)
        => Read(() => _reads.ReadNextReadyRunAtAsync(now, cancellationToken), cancellationToken);

    public Task<(List<long> Lost, List<long> CancelRequested)> CheckOwnershipAsync(string poolId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
        => Read(() => _reads.CheckOwnershipAsync(poolId, ids, cancellationToken), cancellationToken);

    public Task<List<JobRecord>> FindExecutingAsync(string poolId, CancellationToken cancellationToken)
        => Read(() => _reads.FindExecutingAsync(poolId, cancellationToken), cancellationToken);

    public Task<List<JobRecord>> FindOrphansAsync(DateTime staleBefore, int limit, CancellationToken cancellationToken)
        => Read(() => _pools.FindOrphansAsync(staleBefore, limit, cancellationToken), cancellationToken);

    public async Task HeartbeatAsync(PoolRecord pool, DateTime now, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        await _pools.HeartbeatAsync(pool, now, cancellationToken).ConfigureAwait(false);
    }

    // No preparation first: a pool saying goodbye must not wait for (or trigger) a migration.
    public Task RemovePoolAsync(string poolId, CancellationToken cancellationToken) => _pools.RemovePoolAsync(poolId, cancellationToken);

    public Task<List<(PoolRecord Pool, int Executing)>> ReadPoolsAsync(CancellationToken cancellationToken)
        => Read(() => _pools.ReadPoolsAsync(cancellationToken), cancellationToken);

    public Task<bool> TryTakeLeaseAsync(string name, string holder, DateTime now, TimeSpan period, CancellationToken cancellationToken)
        => Read(() => _leases.TryTakeAsync(name, holder, now, period, cancellationToken), cancellationToken);

    // No preparation first, as for RemovePoolAsync: a stopping pool must not wait for a migration.
    public Task ResignLeaseAsync(string name, string holder, DateTime now, CancellationToken cancellationToken)
        => _leases.ResignAsync(name, holder, now, cancellationToken);

    public Task<List<PoolRecord>> RemoveStalePoolsAsync(DateTime staleBefore, CancellationToken cancellationToken)
        => Read(() => _pools.RemoveStalePoolsAsync(staleBefore, cancellationToken), cancellationToken);

    public string? WakeChannel => _provider.WakeChannel;

    public Task ListenAsync(Action<DateTime?> wake, Func<bool> woken, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
        => _provider.ListenAsync(wake, woken, time, logger, cancellationToken);

    private ValueTask Ready(CancellationToken cancellationToken) => Initializer.EnsureInitializedAsync(cancellationToken);

    /// <summary>A write that is one statement or one batch: its own implicit transaction, without BEGIN or COMMIT.</summary>
    private Task<T> InOneTripAsync<T>(Func<System.Data.Common.DbConnection, Task<T>> work, CancellationToken cancellationToken)
        => _session.InWriteAsync((_, connection, _) => work(connection), inTransaction: false, cancellationToken);

    private async Task<T> Read<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        await Ready(cancellationToken).ConfigureAwait(false);
        return await read().ConfigureAwait(false);
    }
}
