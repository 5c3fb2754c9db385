using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;

namespace Jobs.Storage.Sql;

/// <summary>Where the provider <see cref="StorageProvider.WritesEventsInStatement"/>: a batch of compare-and-swaps with their
/// events, the next claim and the wake-up, sent as one <see cref="DbBatch"/> without a transaction of its own. The server runs
/// a batch as one implicit transaction (all of it lands or none does): the same atomic write as BEGIN … COMMIT, in one round
/// trip instead of five. Updates of one shape (the usual case: a batch of successes) are one statement over arrays.</summary>
internal sealed class SqlOneTrip(SqlSession session, SqlClaims claims)
{
    private const int EventColumnsAfterJob = 9;

    private StorageProvider Provider => session.Provider;

    /// <summary>Applies <paramref name="updates"/> and, when <paramref name="claim"/> is given, claims after them. Once a claim
    /// is part of the batch the batch is not cancelled: its winners must reach the workers.</summary>
    public async Task<(bool[] Applied, List<JobRecord> Claimed)> RunAsync(
        DbConnection connection, IReadOnlyList<JobUpdate> updates, ClaimRequest? claim, DateTime now, CancellationToken cancellationToken)
    {
        var applied = new bool[updates.Count];
        var claiming = claim is { Limit: > 0 };
        if (updates.Count == 0 && !claiming)
        {
            return (applied, []);
        }

        var (groups, singles) = UpdateShapes.Split(updates, Provider, withEvents: true);
        var batch = connection.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = Provider.CommandTimeoutSeconds;

            // Statements that yield rows come first, in the order they are read back.
            foreach (var group in groups)
            {
                AddMany(batch, group, now);
            }

            if (claiming)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = claims.Statement(claim!, now, (name, value) => Provider.AddParameter(command, name, value));
                batch.BatchCommands.Add(command);
            }

            var firstSingle = batch.BatchCommands.Count;
            foreach (var single in singles)
            {
                AddOne(batch, single.Update, now);
            }

            // A wake-up for an update that loses its swap only makes idle pools look once and find nothing.
            if (updates.Select(u => u.WakeAt).Where(at => at is not null).Min() is { } due && Provider.WakeSql is { } wake)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = wake;
                Provider.AddParameter(command, "@due", SqlSession.WakePayload(due));
                batch.BatchCommands.Add(command);
            }

            var won = new HashSet<long>();
            List<JobRecord> claimed = [];
            var reader = await batch.ExecuteReaderAsync(claiming ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (var g = 0; g < groups.Count; g++)
                {
                    if (g > 0)
                    {
                        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        won.Add(reader.GetInt64(0));
                    }
                }

                if (claiming)
                {
                    if (groups.Count > 0)
                    {
                        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    claimed = await SqlClaims.ReadAsync(reader, claim!.Limit).ConfigureAwait(false);
                }

                while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
                {
                }
            }

            foreach (var group in groups)
            {
                foreach (var (index, update, _, _) in group)
                {
                    applied[index] = won.Contains(update.JobId);
                }
            }

            for (var s = 0; s < singles.Count; s++)
            {
                // A write with events reports the events it wrote: none when its swap lost.
                applied[singles[s].Index] = batch.BatchCommands[firstSingle + s].RecordsAffected > 0;
            }

            return (applied, claimed);
        }
    }

    private void AddMany(DbBatch batch, List<UpdateShapes.Shaped> group, DateTime now)
    {
        var command = batch.CreateBatchCommand();
        var set = UpdateShapes.Set(group, Provider, p => "c.p" + p.ToString(CultureInfo.InvariantCulture));
        var columns = new List<string>();
        for (var p = 0; p < group[0].Values.Count; p++)
        {
            var column = "p" + p.ToString(CultureInfo.InvariantCulture);
            columns.Add(column);
            Provider.AddArrayParameter(command, "@" + column, group.Select(s => s.Values[p].Value).ToList());
        }

        Provider.AddArrayParameter(command, "@ids", group.Select(s => (object?)s.Update.JobId).ToList());
        Provider.AddVersionArrayParameter(command, "@seen", group.Select(s => s.Update.ExpectedVersion).ToList());
        var events = group.SelectMany(s => s.Update.Events).Select(e => SqlSession.EventRow(e, now)).ToList();
        for (var c = 0; c <= EventColumnsAfterJob; c++)
        {
            Provider.AddArrayParameter(command, "@e" + c.ToString(CultureInfo.InvariantCulture), events.Select(row => row[c]).ToList());
        }

        command.CommandText = Provider.WriteManyWithEvents(set, columns);
        batch.BatchCommands.Add(command);
    }

    private void AddOne(DbBatch batch, JobUpdate update, DateTime now)
    {
        var command = batch.CreateBatchCommand();
        var write = SqlWrites.Prepare(Provider, update, (name, value) => Provider.AddParameter(command, name, value));
        Provider.AddVersionParameter(command, "@seen", update.ExpectedVersion);
        if (update.Events.Count == 0)
        {
            command.CommandText = write;
        }
        else
        {
            var rows = new StringBuilder();
            for (var e = 0; e < update.Events.Count; e++)
            {
                var values = SqlSession.EventRow(update.Events[e], now);
                rows.Append(e == 0 ? "(" : ", (");
                for (var c = 1; c <= EventColumnsAfterJob; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@v{c}_{e}");
                    rows.Append(c == 1 ? "" : ", ").Append(name);
                    Provider.AddParameter(command, name, values[c]);
                }

                rows.Append(')');
            }

            command.CommandText = Provider.WriteWithEvents(write, rows.ToString());
        }

        batch.BatchCommands.Add(command);
    }
}
