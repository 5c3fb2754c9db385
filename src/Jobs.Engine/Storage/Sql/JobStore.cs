using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Diagnostics;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>Every read and write of job state. Hot paths use hand-written SQL in one statement per batch; every state change is
/// a compare-and-swap on <c>version</c>.</summary>
internal sealed class JobStore(StorageProvider provider, JobsMetrics metrics)
{
    private const int MaxEventRowsPerInsert = 500;
    private const int EventParameters = 9;

    public StorageProvider Provider => provider;

    public JobsDbContext CreateContext() => provider.CreateContext();

    public async Task<IReadOnlyList<JobRecord>> InsertAsync(IReadOnlyList<NewJob> jobs, DateTime now, CancellationToken cancellationToken)
    {
        var records = jobs.Select(j => new JobRecord
        {
            Type = j.Type,
            Queue = j.Queue,
            Payload = j.Payload,
            Priority = j.Priority,
            RunAt = j.RunAt,
            ScheduledAt = j.RunAt,
            IntervalMs = j.IntervalMs,
            Status = JobStatus.Queued,
            MaxRetries = j.MaxRetries,
            CreatedAt = now,
            // Where the engine bumps the version it starts at 1; elsewhere the database sets it and EF reads it back.
            Version = provider.BumpVersion.Length > 0 ? 1 : 0,
        }).ToList();
        if (records.Count == 0)
        {
            return records;
        }

        var messages = records.Select(r => r.IntervalMs is { } ms ? $"Recurring every {TimeSpan.FromMilliseconds(ms)}" : null).ToList();
        var due = records.Min(r => r.RunAt);
        if (provider.MaxInsertRows == 0)
        {
            await InWriteAsync(async (db, connection, tx) =>
            {
                // EF inserts where the provider has no ordered insert statement; it writes through this transaction.
                db.Database.UseTransaction(tx);
                db.Jobs.AddRange(records);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await InsertEventsAsync(connection, tx, ScheduledEvents(records, messages), now, cancellationToken).ConfigureAwait(false);
                await WakeAsync(connection, tx!, due, cancellationToken).ConfigureAwait(false);
                return true;
            }, inTransaction: true, cancellationToken).ConfigureAwait(false);
            return records;
        }

        if (provider.InsertWritesEvents && records.Count <= provider.MaxInsertRows)
        {
            // One statement is the whole write (jobs, events, wake-up): it runs as its own implicit transaction, in one
            // round trip instead of three (begin + statement, wake-up, commit).
            await InWriteAsync(
                async (_, connection, _) =>
                {
                    await InsertChunkAsync(connection, null, records, messages, now, due, cancellationToken).ConfigureAwait(false);
                    return true;
                }, inTransaction: false, cancellationToken).ConfigureAwait(false);
            return records;
        }

        await InWriteTransactionAsync(async (connection, tx) =>
        {
            for (var start = 0; start < records.Count; start += provider.MaxInsertRows)
            {
                var chunk = records.GetRange(start, Math.Min(provider.MaxInsertRows, records.Count - start));
                var last = start + chunk.Count == records.Count;
                await InsertChunkAsync(connection, tx, chunk, messages.GetRange(start, chunk.Count), now, last ? due : null, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return records;
    }

    private static List<EventToWrite> ScheduledEvents(IReadOnlyList<JobRecord> jobs, IReadOnlyList<string?> messages)
        => [.. jobs.Select((r, k) => new EventToWrite(r.Id, JobEventKind.Scheduled, 0, null, messages[k], null))];

    /// <summary>One hand-written statement per chunk (see <see cref="StorageProvider.BuildInsert"/>): a single round trip for
    /// one job, and no change tracking for thousands.</summary>
    private async Task InsertChunkAsync(
        DbConnection connection, DbTransaction? tx, List<JobRecord> chunk, List<string?> messages, DateTime now, DateTime? wake, CancellationToken cancellationToken)
    {
        var command = NewCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = tx;
            Add(command, "@now", now);
            provider.BuildInsert(command, chunk, messages);
            if (wake is { } due && provider.WakeSql is { } wakeSql)
            {
                // Sent with the insert; the wake-up reaches listeners once the insert commits.
                command.CommandText += ";\n" + wakeSql;
                Add(command, "@due", due.Ticks.ToString(CultureInfo.InvariantCulture));
            }

            var rows = new List<(long Id, long Version)>(chunk.Count);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }
            }

            if (rows.Count != chunk.Count)
            {
                throw new InvalidOperationException($"The insert of {chunk.Count} jobs returned {rows.Count} rows.");
            }

            // Ids ascend in input order whatever order the database returns the rows in.
            rows.Sort();
            for (var k = 0; k < chunk.Count; k++)
            {
                (chunk[k].Id, chunk[k].Version) = rows[k];
            }
        }

        if (!provider.InsertWritesEvents)
        {
            // Only reached inside a transaction: providers whose statement leaves the events out always run in one.
            await InsertEventsAsync(connection, tx, ScheduledEvents(chunk, messages), now, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> WasDestroyedAsync(long id, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.JobEvents.AnyAsync(e => e.JobId == id && e.Kind == JobEventKind.Destroyed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ready jobs in claim order: higher priority, then earlier run time, then insertion order.</summary>
    public async Task<List<(long Id, long Version)>> FindCandidatesAsync(
        IReadOnlyCollection<string> queues, IReadOnlyCollection<string> types, DateTime now, int limit, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var connection = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
            return await SelectCandidatesAsync(connection, null, queues, types, now, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims the candidates still at the version seen, in one statement; the rows it returns are the ones this pool won.</summary>
    public async Task<List<JobRecord>> ClaimAsync(IReadOnlyList<(long Id, long Version)> candidates, string poolId, DateTime now, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        return await InWriteTransactionAsync(async (connection, tx) =>
        {
            var claimed = await ClaimInAsync(connection, tx, candidates, poolId, now, cancellationToken).ConfigureAwait(false);
            return claimed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fetcher's claim: selects up to <paramref name="limit"/> ready jobs that no other pool holds and claims
    /// them in the same transaction (<see cref="StorageProvider.CandidatesSql"/>), so pools do not fight over one candidate.
    /// The claim is still a compare-and-swap, so <c>Attempted - Claimed.Count</c> counts the conflicts the locks did not
    /// prevent. The selection may be cancelled; once the claim is sent it is not.</summary>
    public async Task<(int Attempted, List<JobRecord> Claimed)> ClaimReadyAsync(
        IReadOnlyCollection<string> queues, IReadOnlyCollection<string> types, DateTime now, int limit, string poolId, CancellationToken cancellationToken)
    {
        var claim = new ClaimRequest(queues, types, limit, poolId);
        return await InWriteTransactionAsync((connection, tx) => ClaimReadyInAsync(connection, tx, claim, now, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<(int Attempted, List<JobRecord> Claimed)> ClaimReadyInAsync(
        DbConnection connection, DbTransaction tx, ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        if (claim.Limit <= 0)
        {
            return (0, []);
        }

        var candidates = await SelectCandidatesAsync(connection, tx, claim.Queues, claim.Types, now, claim.Limit, cancellationToken).ConfigureAwait(false);
        var claimed = candidates.Count == 0 ? [] : await ClaimInAsync(connection, tx, candidates, claim.PoolId, now, CancellationToken.None).ConfigureAwait(false);
        return (candidates.Count, claimed);
    }

    private async Task<List<(long Id, long Version)>> SelectCandidatesAsync(
        DbConnection connection, DbTransaction? tx, IReadOnlyCollection<string> queues, IReadOnlyCollection<string> types, DateTime now, int limit,
        CancellationToken cancellationToken)
    {
        var command = NewCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = tx;
            var filter = new StringBuilder("status = 0 AND run_at <= @now");
            Add(command, "@now", now);
            AppendIn(filter, command, " AND queue IN (", "@q", queues);
            AppendIn(filter, command, " AND type IN (", "@t", types);
            Add(command, "@limit", limit);
            command.CommandText = provider.CandidatesSql(filter.ToString());
            var result = new List<(long, long)>(limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add((reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }
            }

            return result;
        }
    }

    /// <summary>What a claim writes: the job is executing under <c>@pool</c> since <c>@now</c>, in its next attempt.</summary>
    internal static string ClaimSet(StorageProvider provider)
        => $"status = 1, attempt = attempt + 1, pool_id = @pool, started_at = @now, finished_at = NULL, cancel_requested = {provider.False}, " +
           $"pause_requested = {provider.False}, progress_percent = NULL, progress_message = NULL";

    private async Task<List<JobRecord>> ClaimInAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<(long Id, long Version)> candidates, string poolId, DateTime now, CancellationToken cancellationToken)
    {
        var claimed = new List<JobRecord>(candidates.Count);
        var command = NewCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = tx;
            Add(command, "@pool", poolId);
            Add(command, "@now", now);
            provider.BuildClaim(command, candidates, ClaimSet(provider));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    claimed.Add(ReadJob(reader));
                }
            }
        }

        var events = claimed.Select(j => new EventToWrite(j.Id, JobEventKind.Started, j.Attempt, poolId, null, null)).ToList();
        await InsertEventsAsync(connection, tx, events, now, cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <summary>Applies compare-and-swap updates in one transaction (in one round trip where the provider batches
    /// statements). Returns, per update, whether it won.</summary>
    public async Task<bool[]> ApplyAsync(IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return [];
        }

        return await InWriteTransactionAsync((connection, tx) => ApplyInAsync(connection, tx, updates, now, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Applies one compare-and-swap and, when it wins, reads the row as the change left it, in the same transaction:
    /// no pool can claim or change the job in between, so the caller sees the state its own action made. Null when it lost.</summary>
    public async Task<JobRecord?> ApplyAndReadAsync(JobUpdate update, DateTime now, CancellationToken cancellationToken)
    {
        return await InWriteAsync(async (db, connection, tx) =>
        {
            var applied = await ApplyInAsync(connection, tx!, [update], now, cancellationToken).ConfigureAwait(false);
            if (!applied[0])
            {
                return null;
            }

            db.Database.UseTransaction(tx);
            return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == update.JobId, cancellationToken).ConfigureAwait(false);
        }, inTransaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The completer's write: stores outcomes and, in the same transaction, claims work for the workers those
    /// outcomes freed, so that a busy pool spends one transaction (and one candidate scan) per batch instead of two.
    /// The claim runs after the outcomes, and like <see cref="ClaimReadyAsync"/> is never cancelled once sent.</summary>
    public async Task<(bool[] Applied, int Attempted, List<JobRecord> Claimed)> ApplyAndClaimAsync(
        IReadOnlyList<JobUpdate> updates, ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        return await InWriteTransactionAsync(async (connection, tx) =>
        {
            var applied = await ApplyInAsync(connection, tx, updates, now, cancellationToken).ConfigureAwait(false);
            var (attempted, claimed) = await ClaimReadyInAsync(connection, tx, claim, now, cancellationToken).ConfigureAwait(false);
            return (applied, attempted, claimed);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool[]> ApplyInAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken)
    {
        var applied = new bool[updates.Count];
        if (updates.Count == 0)
        {
            return applied;
        }

        if (updates.Count > 1 && provider.BatchesStatements && connection.CanCreateBatch)
        {
            var batch = connection.CreateBatch();
            batch.Timeout = provider.CommandTimeoutSeconds;
            await using (batch.ConfigureAwait(false))
            {
                batch.Transaction = tx;
                foreach (var update in updates)
                {
                    var command = batch.CreateBatchCommand();
                    var parameters = new List<KeyValuePair<string, object?>>();
                    command.CommandText = CompareAndSwapSql(update, parameters);
                    provider.AddParameter(command, "@id", update.JobId);
                    provider.AddVersionParameter(command, "@seen", update.ExpectedVersion);
                    foreach (var (name, value) in parameters)
                    {
                        provider.AddParameter(command, name, value);
                    }

                    batch.BatchCommands.Add(command);
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < updates.Count; i++)
                {
                    applied[i] = batch.BatchCommands[i].RecordsAffected == 1;
                }
            }
        }
        else
        {
            for (var i = 0; i < updates.Count; i++)
            {
                var update = updates[i];
                var command = NewCommand(connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = tx;
                    var parameters = new List<KeyValuePair<string, object?>>();
                    command.CommandText = CompareAndSwapSql(update, parameters);
                    Add(command, "@id", update.JobId);
                    provider.AddVersionParameter(command, "@seen", update.ExpectedVersion);
                    foreach (var (name, value) in parameters)
                    {
                        Add(command, name, value);
                    }

                    applied[i] = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                }
            }
        }

        var events = new List<EventToWrite>();
        DateTime? wakeAt = null;
        for (var i = 0; i < updates.Count; i++)
        {
            if (applied[i])
            {
                events.AddRange(updates[i].Events);
                if (updates[i].WakeAt is { } at && (wakeAt is null || at < wakeAt))
                {
                    wakeAt = at;
                }
            }
        }

        await InsertEventsAsync(connection, tx, events, now, cancellationToken).ConfigureAwait(false);
        if (wakeAt is { } due)
        {
            await WakeAsync(connection, tx, due, cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    private string CompareAndSwapSql(JobUpdate update, List<KeyValuePair<string, object?>> parameters) => update.Change.Deletes
        ? $"DELETE FROM jobs WHERE id = @id AND {provider.VersionMatches("@seen")}"
        : $"UPDATE jobs SET {ChangeSql.SetList(update.Change, provider, parameters)}{VersionSuffix()} WHERE id = @id AND {provider.VersionMatches("@seen")}";

    /// <summary>Stores progress as a CAS and returns the new version, or null when the job changed meanwhile.</summary>
    public async Task<long?> UpdateProgressAsync(long id, long version, int percent, string? message, string poolId, int attempt, DateTime now, CancellationToken cancellationToken)
    {
        message = StoredText.CleanOrNull(message, StoredText.ProgressMessageMax);
        return await InWriteTransactionAsync(async (connection, tx) =>
        {
            long? newVersion = null;
            var command = NewCommand(connection);
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = tx;
                command.CommandText = provider.UpdateReturning(
                    "jobs", "progress_percent = @pp, progress_message = @pm" + VersionSuffix(), $"id = @id AND {provider.VersionMatches("@seen")} AND status = 1", ["version"]);
                Add(command, "@pp", percent);
                Add(command, "@pm", message);
                Add(command, "@id", id);
                provider.AddVersionParameter(command, "@seen", version);
                var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (result is not null and not DBNull)
                {
                    newVersion = Convert.ToInt64(result, CultureInfo.InvariantCulture);
                }
            }

            if (newVersion is not null)
            {
                var text = message is null ? $"{percent}%" : $"{percent}% {message}";
                await InsertEventsAsync(connection, tx, [new EventToWrite(id, JobEventKind.Progress, attempt, poolId, text, null)], now, cancellationToken).ConfigureAwait(false);
            }
            return newVersion;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For the jobs this pool runs: which of them it no longer owns (destroyed, rescued, finished by someone else)
    /// and which an operator asked to cancel.</summary>
    public async Task<(List<long> Lost, List<long> CancelRequested)> CheckOwnershipAsync(
        string poolId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var lost = new List<long>();
        var cancel = new List<long>();
        if (ids.Count == 0)
        {
            return (lost, cancel);
        }

        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))
                .Select(j => new { j.Id, j.Status, j.PoolId, j.CancelRequested })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var byId = rows.ToDictionary(r => r.Id);
            foreach (var id in ids)
            {
                if (!byId.TryGetValue(id, out var row) || row.Status != JobStatus.Executing || row.PoolId != poolId)
                {
                    lost.Add(id);
                }
                else if (row.CancelRequested)
                {
                    cancel.Add(id);
                }
            }
        }

        return (lost, cancel);
    }

    /// <summary>Every job the database says this pool is executing, for reconciling with what the process actually runs:
    /// only what a release needs (id, version, attempt), as this runs on every heartbeat.</summary>
    public async Task<List<JobRecord>> FindExecutingAsync(string poolId, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Executing && j.PoolId == poolId)
                .Select(j => new JobRecord { Id = j.Id, Version = j.Version, Attempt = j.Attempt, PoolId = j.PoolId, Status = j.Status })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task HeartbeatAsync(PoolRecord pool, DateTime now, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            var updated = await db.Pools.Where(p => p.Id == pool.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.HeartbeatAt, now), cancellationToken).ConfigureAwait(false);
            if (updated == 0)
            {
                // First beat, or another pool judged this one dead and removed it: (re-)announce.
                pool.HeartbeatAt = now;
                db.Pools.Add(pool);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Entry(pool).State = EntityState.Detached;
            }

            metrics.Transaction();
        }
    }

    public async Task RemovePoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            await db.Pools.Where(p => p.Id == poolId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            metrics.Transaction();
        }
    }

    /// <summary>Executing jobs whose pool has not beaten since <paramref name="staleBefore"/> (or has no row at all).</summary>
    public async Task<List<JobRecord>> FindOrphansAsync(DateTime staleBefore, int limit, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var alive = db.Pools.Where(p => p.HeartbeatAt >= staleBefore).Select(p => p.Id);
            return await db.Jobs.AsNoTracking()
                .Where(j => j.Status == JobStatus.Executing && (j.PoolId == null || !alive.Contains(j.PoolId)))
                .OrderBy(j => j.Id)
                .Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pool that leads maintenance: the live one (beaten since <paramref name="staleBefore"/>) that started first.
    /// Every pool reads the same answer from the same rows, so no election round is needed; a dead leader is replaced once its
    /// row goes stale.</summary>
    public async Task<string?> FindLeaderAsync(DateTime staleBefore, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Pools.AsNoTracking().Where(p => p.HeartbeatAt >= staleBefore)
                .OrderBy(p => p.StartedAt).ThenBy(p => p.Id).Select(p => p.Id)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<List<PoolRecord>> RemoveStalePoolsAsync(DateTime staleBefore, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var stale = await db.Pools.AsNoTracking().Where(p => p.HeartbeatAt < staleBefore).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (stale.Count > 0)
            {
                // Only rows still stale at delete time: a pool that beat meanwhile keeps its row.
                using var writer = await provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
                await db.Pools.Where(p => p.HeartbeatAt < staleBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                metrics.Transaction();
            }

            return stale;
        }
    }

    internal static JobRecord ReadJob(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Type = r.GetString(1),
        Queue = r.GetString(2),
        Payload = r.IsDBNull(3) ? null : r.GetString(3),
        Priority = r.GetInt32(4),
        RunAt = Utc(r.GetDateTime(5)),
        ScheduledAt = Utc(r.GetDateTime(6)),
        IntervalMs = r.IsDBNull(7) ? null : r.GetInt64(7),
        Status = (JobStatus)r.GetInt32(8),
        MaxRetries = r.GetInt32(9),
        Attempt = r.GetInt32(10),
        PoolId = r.IsDBNull(11) ? null : r.GetString(11),
        StartedAt = r.IsDBNull(12) ? null : Utc(r.GetDateTime(12)),
        FinishedAt = r.IsDBNull(13) ? null : Utc(r.GetDateTime(13)),
        CreatedAt = Utc(r.GetDateTime(14)),
        LastErrorType = r.IsDBNull(15) ? null : r.GetString(15),
        LastErrorMessage = r.IsDBNull(16) ? null : r.GetString(16),
        LastErrorStackTrace = r.IsDBNull(17) ? null : r.GetString(17),
        CancelRequested = r.GetBoolean(18),
        UniqueKey = r.IsDBNull(19) ? null : r.GetString(19),
        ProgressPercent = r.IsDBNull(20) ? null : r.GetInt32(20),
        ProgressMessage = r.IsDBNull(21) ? null : r.GetString(21),
        PauseRequested = r.GetBoolean(22),
        Version = Convert.ToInt64(r.GetValue(23), CultureInfo.InvariantCulture),
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private string VersionSuffix() => provider.BumpVersion.Length == 0 ? "" : ", " + provider.BumpVersion;

    /// <summary>Runs <paramref name="work"/> in one write transaction (see <see cref="InWriteAsync"/>).</summary>
    private Task<T> InWriteTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        => InWriteAsync((_, connection, tx) => work(connection, tx!), inTransaction: true, cancellationToken);

    /// <summary>Runs one write behind this process's writer queue (SQLite), counted as one transaction: inside an explicit
    /// transaction, begun and committed here, or, for work that is a single statement (its own implicit transaction),
    /// without one. The commit is never cancelled half-way: once the work is done, its writes must land.</summary>
    private async Task<T> InWriteAsync<T>(
        Func<JobsDbContext, DbConnection, DbTransaction?, Task<T>> work, bool inTransaction, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var connection = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
            using var writer = await provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            if (!inTransaction)
            {
                var single = await work(db, connection, null).ConfigureAwait(false);
                metrics.Transaction();
                return single;
            }

            var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var result = await work(db, connection, tx).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                metrics.Transaction();
                return result;
            }
        }
    }

    private static async Task<DbConnection> OpenAsync(JobsDbContext db, CancellationToken cancellationToken)
    {
        // Opening through EF runs the provider's connection interceptors (SQLite pragmas).
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return db.Database.GetDbConnection();
    }

    /// <summary>Tells idle pools of other processes, once the transaction commits, that jobs are ready from <paramref name="due"/>.</summary>
    private async Task WakeAsync(DbConnection connection, DbTransaction tx, DateTime due, CancellationToken cancellationToken)
    {
        if (provider.WakeSql is not { } sql)
        {
            return;
        }

        var command = NewCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = tx;
            command.CommandText = sql;
            Add(command, "@due", due.Ticks.ToString(CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertEventsAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<EventToWrite> events, DateTime now, CancellationToken cancellationToken)
    {
        var chunk = Math.Min(MaxEventRowsPerInsert, (provider.MaxParameters - 1) / EventParameters);
        for (var start = 0; start < events.Count; start += chunk)
        {
            var count = Math.Min(chunk, events.Count - start);
            var command = NewCommand(connection);
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = tx;
                var sql = new StringBuilder("INSERT INTO job_events (job_id, at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace) VALUES ");
                for (var i = 0; i < count; i++)
                {
                    var e = events[start + i];
                    var error = e.Error is null ? null : StoredText.HistoryError(e.Error);
                    var k = i.ToString(CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? "" : ", ")
                        .Append("(@j").Append(k).Append(", @t").Append(k).Append(", @k").Append(k).Append(", @a").Append(k).Append(", @p").Append(k)
                        .Append(", @m").Append(k).Append(", @et").Append(k).Append(", @em").Append(k).Append(", @es").Append(k).Append(')');
                    Add(command, "@j" + k, e.JobId);
                    Add(command, "@t" + k, e.At ?? now);
                    Add(command, "@k" + k, (int)e.Kind);
                    Add(command, "@a" + k, e.Attempt);
                    Add(command, "@p" + k, e.PoolId);
                    Add(command, "@m" + k, StoredText.CleanOrNull(e.Message, StoredText.EventMessageMax));
                    Add(command, "@et" + k, error?.Type);
                    Add(command, "@em" + k, error?.Message);
                    Add(command, "@es" + k, error?.StackTrace);
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void AppendIn(StringBuilder sql, DbCommand command, string prefix, string parameterPrefix, IReadOnlyCollection<string> values)
    {
        sql.Append(prefix);
        var i = 0;
        foreach (var value in values)
        {
            var name = parameterPrefix + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(name);
            Add(command, name, value);
            i++;
        }

        sql.Append(')');
    }

    private void Add(DbCommand command, string name, object? value) => provider.AddParameter(command, name, value);

    /// <summary>A command that waits as long as <see cref="DatabaseOptions.CommandTimeoutSeconds"/> allows, like EF's own.</summary>
    private DbCommand NewCommand(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandTimeout = provider.CommandTimeoutSeconds;
        return command;
    }
}
