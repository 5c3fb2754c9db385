using System.Data.Common;
using System.Globalization;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>New jobs: one hand-written statement per chunk where the provider has one (a single round trip for one job, no
/// change tracking for thousands), EF elsewhere; the Scheduled events and the wake-up land in the same transaction.</summary>
internal sealed class SqlInserts(SqlSession session)
{
    private StorageProvider Provider => session.Provider;

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
            TraceParent = j.TraceParent,
            TraceState = j.TraceState,
            // Where the engine bumps the version it starts at 1; elsewhere the database sets it and EF reads it back.
            Version = Provider.BumpVersion.Length > 0 ? 1 : 0,
        }).ToList();
        if (records.Count == 0)
        {
            return records;
        }

        var messages = records.Select(r => r.IntervalMs is { } ms ? $"Recurring every {TimeSpan.FromMilliseconds(ms)}" : null).ToList();
        var due = records.Min(r => r.RunAt);
        if (Provider.MaxInsertRows == 0)
        {
            await session.InWriteAsync(async (db, connection, tx) =>
            {
                // EF inserts where the provider has no ordered insert statement; it writes through this transaction.
                db.Database.UseTransaction(tx);
                db.Jobs.AddRange(records);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await session.InsertEventsAsync(connection, tx, ScheduledEvents(records, messages), now, cancellationToken).ConfigureAwait(false);
                await session.WakeAsync(connection, tx!, due, cancellationToken).ConfigureAwait(false);
                return true;
            }, inTransaction: true, cancellationToken).ConfigureAwait(false);
            return records;
        }

        if (Provider.InsertWritesEvents && records.Count <= Provider.MaxInsertRows)
        {
            // One statement is the whole write (jobs, events, wake-up): it runs as its own implicit transaction, in one
            // round trip instead of three (begin + statement, wake-up, commit).
            await session.InWriteAsync(
                async (_, connection, _) =>
                {
                    await InsertChunkAsync(connection, null, records, messages, now, due, cancellationToken).ConfigureAwait(false);
                    return true;
                }, inTransaction: false, cancellationToken).ConfigureAwait(false);
            return records;
        }

        await session.InWriteTransactionAsync(async (connection, tx) =>
        {
            for (var start = 0; start < records.Count; start += Provider.MaxInsertRows)
            {
                var chunk = records.GetRange(start, Math.Min(Provider.MaxInsertRows, records.Count - start));
                var last = start + chunk.Count == records.Count;
                await InsertChunkAsync(connection, tx, chunk, messages.GetRange(start, chunk.Count), now, last ? due : null, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return records;
    }

    private static List<EventToWrite> ScheduledEvents(IReadOnlyList<JobRecord> jobs, IReadOnlyList<string?> messages)
        => [.. jobs.Select((r, k) => new EventToWrite(r.Id, JobEventKind.Scheduled, 0, null, messages[k], null))];

    private async Task InsertChunkAsync(
        DbConnection connection, DbTransaction? tx, List<JobRecord> chunk, List<string?> messages, DateTime now, DateTime? wake, CancellationToken cancellationToken)
    {
        var command = session.NewCommand(connection, tx);
        await using (command.ConfigureAwait(false))
        {
            session.Add(command, "@now", now);
            Provider.BuildInsert(command, chunk, messages);
            if (wake is { } due && Provider.WakeSql is { } wakeSql)
            {
                // Sent with the insert; the wake-up reaches listeners once the insert commits.
                command.CommandText += ";\n" + wakeSql;
                session.Add(command, "@due", SqlSession.WakePayload(due));
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

        if (!Provider.InsertWritesEvents)
        {
            // Only reached inside a transaction: providers whose statement leaves the events out always run in one.
            await session.InsertEventsAsync(connection, tx, ScheduledEvents(chunk, messages), now, cancellationToken).ConfigureAwait(false);
        }
    }
}
