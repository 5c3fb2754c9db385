using System.Data.Common;
using System.Globalization;
using System.Text;
using Jobs.Diagnostics;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>How the shared SQL talks to the database: connections opened through EF (so provider interceptors run), write
/// transactions behind the provider's writer queue, commands with the configured timeout, the event rows every state change
/// writes, and the wake-up sent with a commit.</summary>
internal sealed class SqlSession(StorageProvider provider, JobsMetrics metrics)
{
    private const int MaxEventRowsPerInsert = 500;
    private const int EventParameters = 10;

    /// <summary>The columns of an event row in <c>job_events</c>' insert order (job_id, at, kind, attempt, pool_id, message,
    /// error_type, error_message, error_stack_trace, actor), user text cleaned and capped (<see cref="StoredText"/>) so that
    /// no value can refuse the write.</summary>
    public static object?[] EventRow(EventToWrite e, DateTime now)
    {
        var error = e.Error is null ? null : StoredText.HistoryError(e.Error);
        return [e.JobId, e.At ?? now, (int)e.Kind, e.Attempt, e.PoolId, StoredText.CleanOrNull(e.Message, StoredText.EventMessageMax), error?.Type, error?.Message, error?.StackTrace, e.Actor];
    }

    public StorageProvider Provider => provider;

    /// <summary>Runs <paramref name="work"/> in one write transaction (see <see cref="InWriteAsync"/>).</summary>
    public Task<T> InWriteTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        => InWriteAsync((_, connection, tx) => work(connection, tx!), inTransaction: true, cancellationToken);

    /// <summary>Runs one write behind this process's writer queue (SQLite), counted as one transaction: inside an explicit
    /// transaction, begun and committed here, or, for work that is a single statement (its own implicit transaction),
    /// without one. The commit is never cancelled half-way: once the work is done, its writes must land.</summary>
    public async Task<T> InWriteAsync<T>(
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

    /// <summary>Counts a write made outside <see cref="InWriteAsync"/> (EF's own statements on the pool rows).</summary>
    public void Counted() => metrics.Transaction();

    public static async Task<DbConnection> OpenAsync(JobsDbContext db, CancellationToken cancellationToken)
    {
        // Opening through EF runs the provider's connection interceptors (SQLite pragmas).
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return db.Database.GetDbConnection();
    }

    /// <summary>A command that waits as long as <see cref="DatabaseOptions.CommandTimeoutSeconds"/> allows, like EF's own.</summary>
    public DbCommand NewCommand(DbConnection connection, DbTransaction? tx)
    {
        var command = connection.CreateCommand();
        command.CommandTimeout = provider.CommandTimeoutSeconds;
        command.Transaction = tx;
        return command;
    }

    public void Add(DbCommand command, string name, object? value) => provider.AddParameter(command, name, value);

    /// <summary>The wake-up's payload: the time jobs are ready from, as ticks (what the listeners parse).</summary>
    public static string WakePayload(DateTime due) => due.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>Tells idle pools of other processes, once the transaction commits, that jobs are ready from <paramref name="due"/>.</summary>
    public async Task WakeAsync(DbConnection connection, DbTransaction tx, DateTime due, CancellationToken cancellationToken)
    {
        if (provider.WakeSql is not { } sql)
        {
            return;
        }

        var command = NewCommand(connection, tx);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            Add(command, "@due", WakePayload(due));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="events"/> in as few statements as the provider's parameter limit allows; user text is
    /// cleaned and capped (<see cref="StoredText"/>) so that no value can refuse the write.</summary>
    public async Task InsertEventsAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<EventToWrite> events, DateTime now, CancellationToken cancellationToken)
    {
        var chunk = Math.Min(MaxEventRowsPerInsert, (provider.MaxParameters - 1) / EventParameters);
        for (var start = 0; start < events.Count; start += chunk)
        {
            var count = Math.Min(chunk, events.Count - start);
            var command = NewCommand(connection, tx);
            await using (command.ConfigureAwait(false))
            {
                var sql = new StringBuilder("INSERT INTO job_events (job_id, at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor) VALUES ");
                for (var i = 0; i < count; i++)
                {
                    var k = i.ToString(CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? "(" : ", (");
                    var values = EventRow(events[start + i], now);
                    for (var c = 0; c < values.Length; c++)
                    {
                        var name = "@e" + c.ToString(CultureInfo.InvariantCulture) + "_" + k;
                        sql.Append(c == 0 ? "" : ", ").Append(name);
                        Add(command, name, values[c]);
                    }

                    sql.Append(')');
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
