using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Storage.Model;

namespace Jobs.Storage.Sql;

/// <summary>Where the provider <see cref="StorageProvider.WritesEventsInStatement"/>: a batch of compare-and-swaps, each with
/// its events in its own statement, the wake-up and the next claim, sent as one <see cref="DbBatch"/> without a transaction
/// of its own. The server runs a batch as one implicit transaction (all of it lands or none does), so this is the same
/// atomic write as BEGIN … COMMIT in one round trip instead of five.</summary>
internal sealed class SqlOneTrip(SqlSession session, SqlWrites writes, SqlClaims claims)
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

        var batch = connection.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = Provider.CommandTimeoutSeconds;
            DateTime? wakeAt = null;
            foreach (var update in updates)
            {
                Add(batch, update, now);
                if (update.WakeAt is { } at && (wakeAt is null || at < wakeAt))
                {
                    wakeAt = at;
                }
            }

            if (claiming)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = claims.Statement(claim!, now, (name, value) => Provider.AddParameter(command, name, value));
                batch.BatchCommands.Add(command);
            }

            // A wake-up for an update that loses its swap only makes idle pools look once and find nothing.
            if (wakeAt is { } due && Provider.WakeSql is { } wake)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = wake;
                Provider.AddParameter(command, "@due", due.Ticks.ToString(CultureInfo.InvariantCulture));
                batch.BatchCommands.Add(command);
            }

            List<JobRecord> claimed = [];
            var reader = await batch.ExecuteReaderAsync(claiming ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (claiming)
                {
                    claimed = await SqlClaims.ReadAsync(reader, claim!.Limit).ConfigureAwait(false);
                }

                while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
                {
                }
            }

            for (var i = 0; i < updates.Count; i++)
            {
                // A write with events reports the events it wrote: none when its swap lost.
                applied[i] = batch.BatchCommands[i].RecordsAffected > 0;
            }

            return (applied, claimed);
        }
    }

    private void Add(DbBatch batch, JobUpdate update, DateTime now)
    {
        var command = batch.CreateBatchCommand();
        var write = writes.Prepare(update, (name, value) => Provider.AddParameter(command, name, value));
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
