using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>Compare-and-swap writes on job rows: each <see cref="JobUpdate"/> becomes one UPDATE (or DELETE) guarded by the
/// row's version, sent in one round trip where the provider batches statements, with the events of the updates that won.</summary>
internal sealed class SqlWrites(SqlSession session)
{
    private StorageProvider Provider => session.Provider;

    public async Task<bool[]> ApplyAsync(IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken)
        => updates.Count == 0
            ? []
            : await session.InWriteTransactionAsync((connection, tx) => ApplyInAsync(connection, tx, updates, now, cancellationToken), cancellationToken)
                .ConfigureAwait(false);

    /// <summary>Applies one compare-and-swap and, when it wins, reads the row as the change left it, in the same transaction:
    /// no pool can claim or change the job in between, so the caller sees the state its own action made. Null when it lost.</summary>
    public async Task<JobRecord?> ApplyAndReadAsync(JobUpdate update, DateTime now, CancellationToken cancellationToken)
        => await session.InWriteAsync(async (db, connection, tx) =>
        {
            var applied = await ApplyInAsync(connection, tx!, [update], now, cancellationToken).ConfigureAwait(false);
            if (!applied[0])
            {
                return null;
            }

            db.Database.UseTransaction(tx);
            return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == update.JobId, cancellationToken).ConfigureAwait(false);
        }, inTransaction: true, cancellationToken).ConfigureAwait(false);

    public async Task<bool[]> ApplyInAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<JobUpdate> updates, DateTime now, CancellationToken cancellationToken)
    {
        var applied = new bool[updates.Count];
        if (updates.Count == 0)
        {
            return applied;
        }

        if (updates.Count > 1 && Provider.BatchesStatements && connection.CanCreateBatch)
        {
            var batch = connection.CreateBatch();
            batch.Timeout = Provider.CommandTimeoutSeconds;
            await using (batch.ConfigureAwait(false))
            {
                batch.Transaction = tx;
                foreach (var update in updates)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = Prepare(Provider, update, (name, value) => Provider.AddParameter(command, name, value));
                    Provider.AddVersionParameter(command, "@seen", update.ExpectedVersion);
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
            IEnumerable<int> alone = Enumerable.Range(0, updates.Count);
            if (updates.Count > 1 && Provider.UpdatesManyFromValues)
            {
                var (groups, singles) = UpdateShapes.Split(updates, Provider, withEvents: false);
                foreach (var group in groups)
                {
                    await ApplyGroupAsync(connection, tx, group, applied, cancellationToken).ConfigureAwait(false);
                }

                alone = singles.Select(s => s.Index);
            }

            foreach (var i in alone)
            {
                var update = updates[i];
                var command = session.NewCommand(connection, tx);
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = Prepare(Provider, update, (name, value) => session.Add(command, name, value));
                    Provider.AddVersionParameter(command, "@seen", update.ExpectedVersion);
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

        await session.InsertEventsAsync(connection, tx, events, now, cancellationToken).ConfigureAwait(false);
        if (wakeAt is { } due)
        {
            await session.WakeAsync(connection, tx, due, cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    /// <summary>One statement per chunk of rows for a group of one shape; a row's swap won when its id comes back.</summary>
    private async Task ApplyGroupAsync(DbConnection connection, DbTransaction tx, List<UpdateShapes.Shaped> group, bool[] applied, CancellationToken cancellationToken)
    {
        var width = 2 + group[0].Values.Count;
        var set = UpdateShapes.Set(group, Provider, p => "c.column" + (p + 3).ToString(CultureInfo.InvariantCulture));
        var perStatement = Math.Max(1, (Provider.MaxParameters - 1) / width);
        foreach (var chunk in group.Chunk(perStatement))
        {
            var command = session.NewCommand(connection, tx);
            await using (command.ConfigureAwait(false))
            {
                var rows = new StringBuilder();
                for (var r = 0; r < chunk.Length; r++)
                {
                    var k = r.ToString(CultureInfo.InvariantCulture);
                    rows.Append(r == 0 ? "(@i" : ", (@i").Append(k).Append(", @v").Append(k);
                    session.Add(command, "@i" + k, chunk[r].Update.JobId);
                    Provider.AddVersionParameter(command, "@v" + k, chunk[r].Update.ExpectedVersion);
                    for (var p = 0; p < chunk[r].Values.Count; p++)
                    {
                        var name = string.Create(CultureInfo.InvariantCulture, $"@p{p}_{r}");
                        rows.Append(", ").Append(name);
                        session.Add(command, name, chunk[r].Values[p].Value);
                    }

                    rows.Append(')');
                }

                command.CommandText = Provider.UpdateManyFromValues(set, rows.ToString());
                var won = new HashSet<long>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        won.Add(reader.GetInt64(0));
                    }
                }

                foreach (var shaped in chunk)
                {
                    applied[shaped.Index] = won.Contains(shaped.Update.JobId);
                }
            }
        }
    }

    /// <summary>The compare-and-swap statement of <paramref name="update"/>, its parameters (but the version's, which each
    /// provider binds in its own type) passed to <paramref name="add"/>: one way for a batched and a plain command.</summary>
    internal static string Prepare(StorageProvider provider, JobUpdate update, Action<string, object?> add)
    {
        var parameters = new List<KeyValuePair<string, object?>>();
        var sql = CompareAndSwapSql(provider, update, parameters);
        add("@id", update.JobId);
        foreach (var (name, value) in parameters)
        {
            add(name, value);
        }

        return sql;
    }

    /// <summary>Stores progress as a compare-and-swap on an executing job and returns the new version, or null when the job
    /// changed meanwhile.</summary>
    public async Task<long?> UpdateProgressAsync(long id, long version, int percent, string? message, string poolId, int attempt, DateTime now, CancellationToken cancellationToken)
    {
        message = StoredText.CleanOrNull(message, StoredText.ProgressMessageMax);
        return await session.InWriteTransactionAsync(async (connection, tx) =>
        {
            long? newVersion = null;
            var command = session.NewCommand(connection, tx);
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Provider.UpdateReturning(
                    "jobs", "progress_percent = @pp, progress_message = @pm" + VersionSuffix(Provider), $"id = @id AND {Provider.VersionMatches("@seen")} AND status = 1", ["version"]);
                session.Add(command, "@pp", percent);
                session.Add(command, "@pm", message);
                session.Add(command, "@id", id);
                Provider.AddVersionParameter(command, "@seen", version);
                var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (result is not null and not DBNull)
                {
                    newVersion = Convert.ToInt64(result, CultureInfo.InvariantCulture);
                }
            }

            if (newVersion is not null)
            {
                var text = message is null ? $"{percent}%" : $"{percent}% {message}";
                await session.InsertEventsAsync(connection, tx, [new EventToWrite(id, JobEventKind.Progress, attempt, poolId, text, null)], now, cancellationToken)
                    .ConfigureAwait(false);
            }

            return newVersion;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string CompareAndSwapSql(StorageProvider provider, JobUpdate update, List<KeyValuePair<string, object?>> parameters) => update.Change.Deletes
        ? $"DELETE FROM jobs WHERE id = @id AND {provider.VersionMatches("@seen")}"
        : $"UPDATE jobs SET {ChangeSql.SetList(update.Change, provider, parameters)}{VersionSuffix(provider)} WHERE id = @id AND {provider.VersionMatches("@seen")}";

    private static string VersionSuffix(StorageProvider provider) => provider.BumpVersion.Length == 0 ? "" : ", " + provider.BumpVersion;
}
