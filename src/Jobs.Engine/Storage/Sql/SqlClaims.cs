using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;

namespace Jobs.Storage.Sql;

/// <summary>The claim: one statement per provider (<see cref="StorageProvider.BuildClaim"/>) that picks ready jobs other pools
/// are not claiming and moves them to executing, then the Started events, in the caller's transaction.</summary>
internal sealed class SqlClaims(SqlSession session)
{
    /// <summary>What a claim writes: the job is executing under <c>@pool</c> since <c>@now</c>, in its next attempt, with no
    /// request or progress of an earlier attempt left on it.</summary>
    public static string ClaimSet(StorageProvider provider)
        => $"status = 1, attempt = attempt + 1, pool_id = @pool, started_at = @now, finished_at = NULL, cancel_requested = {provider.False}, " +
           $"pause_requested = {provider.False}, progress_percent = NULL, progress_message = NULL";

    /// <summary>The condition a ready job of <paramref name="claim"/> meets, with its parameters added to <paramref name="command"/>.</summary>
    public static string ReadyFilter(SqlSession session, DbCommand command, ClaimRequest claim, DateTime now)
    {
        var filter = new StringBuilder("status = 0 AND run_at <= @now");
        session.Add(command, "@now", now);
        AppendIn(session, filter, command, " AND queue IN (", "@q", claim.Queues);
        AppendIn(session, filter, command, " AND type IN (", "@t", claim.Types);
        if (claim.Id is { } id)
        {
            filter.Append(" AND id = @id");
            session.Add(command, "@id", id);
        }

        session.Add(command, "@limit", claim.Limit);
        return filter.ToString();
    }

    /// <summary>Claims in <paramref name="tx"/>; the selection may be cancelled, but once the claim is sent it is not, so its
    /// Started events are written whenever its rows are.</summary>
    public async Task<List<JobRecord>> ClaimInAsync(
        DbConnection connection, DbTransaction tx, ClaimRequest claim, DateTime now, CancellationToken cancellationToken)
    {
        if (claim.Limit <= 0)
        {
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();
        var provider = session.Provider;
        var claimed = new List<JobRecord>(claim.Limit);
        var command = session.NewCommand(connection, tx);
        await using (command.ConfigureAwait(false))
        {
            session.Add(command, "@pool", claim.PoolId);
            provider.BuildClaim(command, ReadyFilter(session, command, claim, now), ClaimSet(provider));
            var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    claimed.Add(JobColumns.Read(reader));
                }
            }
        }

        // The database returns the rows in no particular order; workers take them in claim order.
        claimed.Sort(static (a, b) => b.Priority != a.Priority ? b.Priority.CompareTo(a.Priority)
            : a.RunAt != b.RunAt ? a.RunAt.CompareTo(b.RunAt) : a.Id.CompareTo(b.Id));
        var events = claimed.Select(j => new EventToWrite(j.Id, JobEventKind.Started, j.Attempt, claim.PoolId, null, null)).ToList();
        await session.InsertEventsAsync(connection, tx, events, now, CancellationToken.None).ConfigureAwait(false);

        return claimed;
    }

    private static void AppendIn(SqlSession session, StringBuilder sql, DbCommand command, string prefix, string parameterPrefix, IReadOnlyCollection<string> values)
    {
        sql.Append(prefix);
        var i = 0;
        foreach (var value in values)
        {
            var name = parameterPrefix + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(name);
            session.Add(command, name, value);
            i++;
        }

        sql.Append(')');
    }
}
