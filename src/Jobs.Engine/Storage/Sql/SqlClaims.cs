using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;

namespace Jobs.Storage.Sql;

/// <summary>The claim: one statement per provider (<see cref="StorageProvider.ClaimSql"/>) that picks ready jobs other pools
/// are not claiming and moves them to executing, and the Started events: in the same statement where the provider writes
/// events in statements, else as a second statement in the caller's transaction.</summary>
internal sealed class SqlClaims(SqlSession session)
{
    /// <summary>What a claim writes: the job is executing under <c>@pool</c> since <c>@now</c>, in its next attempt, with no
    /// request or progress of an earlier attempt left on it.</summary>
    public static string ClaimSet(StorageProvider provider)
        => $"status = 1, attempt = attempt + 1, pool_id = @pool, started_at = @now, finished_at = NULL, cancel_requested = {provider.False}, " +
           $"pause_requested = {provider.False}, progress_percent = NULL, progress_message = NULL";

    /// <summary>The condition a ready job of <paramref name="claim"/> meets, with its parameters passed to <paramref name="add"/>.</summary>
    public static string ReadyFilter(ClaimRequest claim, DateTime now, Action<string, object?> add)
    {
        var filter = new StringBuilder("status = 0 AND run_at <= @now");
        add("@now", now);
        AppendIn(filter, add, " AND queue IN (", "@q", claim.Queues);
        AppendIn(filter, add, " AND type IN (", "@t", claim.Types);
        if (claim.Id is { } id)
        {
            filter.Append(" AND id = @id");
            add("@id", id);
        }

        add("@limit", claim.Limit);
        return filter.ToString();
    }

    /// <summary>The claim statement of <paramref name="claim"/>, its parameters passed to <paramref name="add"/>.</summary>
    public string Statement(ClaimRequest claim, DateTime now, Action<string, object?> add)
    {
        add("@pool", claim.PoolId);
        return session.Provider.ClaimSql(ReadyFilter(claim, now, add), ClaimSet(session.Provider));
    }

    /// <summary>Claims in <paramref name="tx"/> (none where the provider's claim is one statement with its events); the
    /// selection may be cancelled, but once the claim is sent it is not, so its Started events are written whenever its
    /// rows are.</summary>
    public async Task<List<JobRecord>> ClaimInAsync(
        DbConnection connection, DbTransaction? tx, ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        if (claim.Limit <= 0)
        {
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();
        List<JobRecord> claimed;
        var command = session.NewCommand(connection, tx);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Statement(claim, now, (name, value) => session.Add(command, name, value));
            var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                claimed = await ReadAsync(reader, claim.Limit).ConfigureAwait(false);
            }
        }

        if (!session.Provider.WritesEventsInStatement)
        {
            var events = claimed.Select(j => new EventToWrite(j.Id, JobEventKind.Started, j.Attempt, claim.PoolId, null, null)).ToList();
            await session.InsertEventsAsync(connection, tx, events, now, CancellationToken.None).ConfigureAwait(false);
        }

        return claimed;
    }

    /// <summary>The claimed rows of the current result, in claim order.</summary>
    public static async Task<List<JobRecord>> ReadAsync(DbDataReader reader, int limit)
    {
        var claimed = new List<JobRecord>(limit);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            claimed.Add(JobColumns.Read(reader));
        }

        // The database returns the rows in no particular order; workers take them in claim order.
        claimed.Sort(static (a, b) => b.Priority != a.Priority ? b.Priority.CompareTo(a.Priority)
            : a.RunAt != b.RunAt ? a.RunAt.CompareTo(b.RunAt) : a.Id.CompareTo(b.Id));
        return claimed;
    }

    private static void AppendIn(StringBuilder sql, Action<string, object?> add, string prefix, string parameterPrefix, IReadOnlyCollection<string> values)
    {
        sql.Append(prefix);
        var i = 0;
        foreach (var value in values)
        {
            var name = parameterPrefix + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(name);
            add(name, value);
            i++;
        }

        sql.Append(')');
    }
}
