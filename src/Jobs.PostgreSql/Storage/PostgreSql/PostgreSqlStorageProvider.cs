using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Jobs.Diagnostics;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Storage.PostgreSql;

internal sealed class PostgreSqlStorageProvider : StorageProvider
{
    internal const string WakeChannelName = "jobs_ready";
    internal const string ListenerApplicationName = "jobs-listener";

    // Any fixed number the application's own advisory locks are unlikely to use: "jobs" in ASCII.
    private const long MigrationLockKey = 0x6A6F6273;

    // A listener that hears nothing for this long checks that its connection still works, so a silently dropped
    // connection (a restarted server, a dead NAT entry) is noticed and re-opened.
    private static readonly TimeSpan ListenerProbeInterval = TimeSpan.FromSeconds(15);

    private readonly DbContextOptions<PostgreSqlJobsDbContext> _options;
    private readonly PooledDbContextFactory<PostgreSqlJobsDbContext> _contexts;
    private readonly string _connectionString;
    private readonly string _listenerConnectionString;

    // The collation whose LOWER() folds every script, where the database's own does not (a "C" locale); null when the
    // database's own does, or when the server offers none (search then ignores the case of ASCII letters only).
    private string? _searchCollation;

    public PostgreSqlStorageProvider(DatabaseOptions database)
        : base(database)
    {
        // The engine never changes session state (no SET, no temporary tables), so a pooled connection needs no DISCARD ALL
        // when it is returned: that reset is a transaction of its own on the server — measured, half of all commits per job
        // when jobs are claimed and completed one at a time — and it would also drop prepared statements.
        // The engine's statements are few and repeat for ever: let Npgsql prepare them on the server (unless the
        // connection string says otherwise), so each one is parsed and planned once per connection instead of per call.
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { NoResetOnClose = true };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        _connectionString = builder.ConnectionString;
        _options = new DbContextOptionsBuilder<PostgreSqlJobsDbContext>()
            .UseNpgsql(_connectionString, n => n.CommandTimeout(database.CommandTimeoutSeconds))
            .Options;
        _contexts = new PooledDbContextFactory<PostgreSqlJobsDbContext>(_options);

        // The listener holds its connection for the pool's lifetime: keep it out of the pool, and name it so operators
        // (and tests) can tell it apart in pg_stat_activity.
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ListenerApplicationName,
            KeepAlive = (int)ListenerProbeInterval.TotalSeconds,
        }.ConnectionString;
    }

    public override string Name => "postgresql";

    // xmin moves by itself on every write.
    public override string BumpVersion => "";

    public override string False => "FALSE";

    public override string True => "TRUE";

    public override int MaxParameters => 65_535;

    // Pooled: a new context costs ~100 µs of service resolution, more than the write it serves on SQLite.
    public override JobsDbContext CreateContext() => _contexts.CreateDbContext();

    public override string ReadVersion(string? alias = null) => alias is null ? "xmin" : alias + ".xmin";

    public override string VersionMatches(string parameter) => "xmin = " + parameter;

    // SKIP LOCKED: rows another pool is claiming right now are passed over instead of waited on or fought for. The pick,
    // the move and the Started events are one statement: one round trip, and no version to compare, as the picked rows
    // stay locked.
    public override string ClaimSql(string filter, string set)
        => $"WITH c AS (UPDATE jobs SET {set} FROM (SELECT id FROM jobs WHERE {filter} ORDER BY priority DESC, run_at, id LIMIT @limit FOR UPDATE SKIP LOCKED) AS p " +
           $"WHERE jobs.id = p.id RETURNING {Columns(JobColumns.Names, "jobs")}), " +
           $"e AS (INSERT INTO job_events (job_id, at, kind, attempt, pool_id) SELECT id, @now, {(int)JobEventKind.Started}, attempt, @pool FROM c) " +
           "SELECT * FROM c";

    public override bool WritesEventsInStatement => true;

    // Typed arrays of the element's own nullable type: Npgsql binds int?[], DateTime?[]... with nulls as SQL NULL. A position
    // that is null on every row holds text, the only type of the nullable columns a change can leave null.
    public override void AddArrayParameter(DbBatchCommand command, string name, IReadOnlyList<object?> values)
    {
        var stored = values.Select(Stored).ToList();
        var (type, array) = stored.FirstOrDefault(v => v is not null) switch
        {
            int => (NpgsqlDbType.Integer, (object)stored.Select(v => (int?)v).ToArray()),
            long => (NpgsqlDbType.Bigint, stored.Select(v => (long?)v).ToArray()),
            DateTime => (NpgsqlDbType.TimestampTz, stored.Select(v => (DateTime?)v).ToArray()),
            bool => (NpgsqlDbType.Boolean, stored.Select(v => (bool?)v).ToArray()),
            string or null => (NpgsqlDbType.Text, stored.Select(v => (string?)v).ToArray()),
            var other => throw new NotSupportedException($"No array type for {other.GetType()}."),
        };
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = array });
    }

    public override void AddVersionArrayParameter(DbBatchCommand command, string name, IReadOnlyList<long> versions)
        => command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Xid) { Value = versions.Select(v => unchecked((uint)v)).ToArray() });

    // The same compare-and-swap for many rows: the changes as arrays (one element per row), the events joined to the rows
    // the swap won, whose ids the statement returns.
    public override string WriteManyWithEvents(string set, IReadOnlyList<string> columns)
        => $"WITH c AS (SELECT * FROM unnest(@ids, @seen{string.Concat(columns.Select(c => ", @" + c))}) AS c(id, seen{string.Concat(columns.Select(c => ", " + c))})), " +
           $"w AS (UPDATE jobs SET {set} FROM c WHERE jobs.id = c.id AND jobs.xmin = c.seen RETURNING jobs.id) " +
           "INSERT INTO job_events (job_id, at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor) " +
           "SELECT v.job_id, v.at, v.kind, v.attempt, v.pool_id, v.message, v.error_type, v.error_message, v.error_stack_trace, v.actor " +
           "FROM unnest(@e0, @e1, @e2, @e3, @e4, @e5, @e6, @e7, @e8, @e9) AS v(job_id, at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor) " +
           "JOIN w ON w.id = v.job_id RETURNING job_id";

    // Every data-modifying WITH runs to completion whether or not the outer statement reads it, and the INSERT only sees
    // the row the write returned: no row, no events.
    public override string WriteWithEvents(string write, string eventRows)
        => $"WITH w AS ({write} RETURNING id) " +
           "INSERT INTO job_events (job_id, at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor) " +
           "SELECT w.id, v.at, v.kind, v.attempt, v.pool_id, v.message, v.error_type, v.error_message, v.error_stack_trace, v.actor " +
           $"FROM w CROSS JOIN (VALUES {eventRows}) AS v(at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor)";

    // One parameter per column whatever the count; large chunks keep each statement's arrays a few MB at most.
    public override int MaxInsertRows => 10_000;

    public override bool InsertWritesEvents => true;

    public override void BuildInsert(DbCommand command, IReadOnlyList<JobRecord> jobs, IReadOnlyList<string?> messages)
    {
        command.Parameters.Add(new NpgsqlParameter("@types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@queues", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.Queue).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => (object?)j.Payload ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@priorities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = jobs.Select(j => j.Priority).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@run_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = jobs.Select(j => j.RunAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@intervals", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = jobs.Select(j => (object?)j.IntervalMs ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@max_retries", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = jobs.Select(j => j.MaxRetries).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => (object?)j.TraceParent ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@trace_states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => (object?)j.TraceState ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@messages", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => (object?)m ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("@kind", NpgsqlDbType.Integer) { Value = (int)JobEventKind.Scheduled });

        // The identity is drawn as rows leave the ordered SELECT, so ids ascend in input order; the events pair each id
        // with its message by that same rank. One statement: jobs and events land together or not at all.
        command.CommandText = """
            WITH j AS (
                INSERT INTO jobs (type, queue, payload, priority, run_at, scheduled_at, interval_ms, status, max_retries, attempt, created_at, cancel_requested, pause_requested, trace_parent, trace_state)
                SELECT n.t, n.q, n.p, n.pr, n.r, n.r, n.i, 0, n.m, 0, @now, FALSE, FALSE, n.tp, n.ts
                FROM unnest(@types, @queues, @payloads, @priorities, @run_ats, @intervals, @max_retries, @trace_parents, @trace_states) WITH ORDINALITY AS n(t, q, p, pr, r, i, m, tp, ts, o)
                ORDER BY n.o
                RETURNING id, xmin),
            e AS (
                INSERT INTO job_events (job_id, at, kind, attempt, message)
                SELECT r.id, @now, @kind, 0, msg.text
                FROM (SELECT id, row_number() OVER (ORDER BY id) AS o FROM j) AS r
                JOIN unnest(@messages) WITH ORDINALITY AS msg(text, o) ON msg.o = r.o)
            SELECT id, xmin FROM j ORDER BY id
            """;
    }

    public override string UpdateReturning(string table, string set, string where, IReadOnlyList<string> columns)
        => $"UPDATE {table} SET {set} WHERE {where} RETURNING {Columns(columns, null)}";

    public override bool BatchesStatements => true;

    protected override DbParameter VersionParameter(DbParameter parameter, string name, long version)
    {
        var xid = (NpgsqlParameter)parameter;
        xid.ParameterName = name;
        xid.NpgsqlDbType = NpgsqlDbType.Xid;
        xid.Value = unchecked((uint)version);
        return xid;
    }

    public override Expression<Func<string?, bool>> LikeIgnoringCase(string pattern)
    {
        // Every locale folds ASCII letters.
        if (Ascii.IsValid(pattern) || _searchCollation is not { } collation)
        {
            return base.LikeIgnoringCase(pattern);
        }

        // The collation is not a parameter: EF writes it into the SQL as COLLATE "name".
#pragma warning disable CA1304, CA1311 // Translated to SQL LOWER(); no .NET culture is involved.
        return column => EF.Functions.Like(EF.Functions.Collate(column!, collation).ToLower(), pattern, LikeEscape);
#pragma warning restore CA1304, CA1311
    }

    /// <summary>Finds out, once per process, whether LOWER() folds non-ASCII letters under the database's own locale and, if
    /// not, which installed collation does: ICU's root locale, else libc's C.UTF-8.</summary>
    // Seen here: four pools starting at once on an empty database, two of them applied the same migration ("relation
    // ix_job_events_deletions already exists"), so migrations are serialized by a session advisory lock of their own; the
    // migrator re-reads what is applied once it holds it, and finds nothing left to do.
    public override async Task<IAsyncDisposable?> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT pg_advisory_lock({MigrationLockKey})";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new AdvisoryLock(connection);
    }

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        _searchCollation = null;
        if (await FoldsAsync(connection, "", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var candidate in (string[])["und-x-icu", "C.utf8", "C.UTF-8"])
        {
            if (await FoldsAsync(connection, candidate, cancellationToken).ConfigureAwait(false))
            {
                _searchCollation = candidate;
                return;
            }
        }
    }

    private static async Task<bool> FoldsAsync(DbConnection connection, string collation, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            var collate = collation.Length == 0 ? "" : $" COLLATE \"{collation}\"";
            command.CommandText = $"SELECT lower('ÄÖÜ'{collate}) = 'äöü'";
            try
            {
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            }
            catch (PostgresException)
            {
                // Not installed, or not for this database's encoding.
                return false;
            }
        }
    }

    public override string? WakeSql => $"SELECT pg_notify('{WakeChannelName}', @due)";

    public override string? WakeChannel => WakeChannelName;

    // Notifications cost nothing to wait for: woken is not needed here.
    public override async Task ListenAsync(Action<DateTime?> wake, Func<bool> woken, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_listenerConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => wake(ParseDue(e.Payload));
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"LISTEN {WakeChannelName}", cancellationToken).ConfigureAwait(false);
            Log.ListenerConnected(logger, "PostgreSQL channel " + WakeChannelName);

            // Jobs scheduled while nobody listened sent their wake-up into the void: look once now.
            wake(null);
            try
            {
                while (true)
                {
                    if (!await connection.WaitAsync(ListenerProbeInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await ExecuteAsync(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A connection that worked and broke is retried at once; one that cannot be opened again backs off (and
                // the pool's outage report says so).
                Log.UnreachableDetail(logger, ex, "wake-up listener");
                Log.ListenerDropped(logger, WakeChannelName, FailureCause.Of(ex));
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // Idle connections of this provider's pool would otherwise stay open until Npgsql prunes them.
        using var connection = new NpgsqlConnection(_connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    private static DateTime? ParseDue(string payload)
        => long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks
            ? new DateTime(ticks, DateTimeKind.Utc)
            : null;

    private static string Columns(IReadOnlyList<string> columns, string? alias)
        => string.Join(", ", columns.Select(c => c == "version" ? (alias is null ? "xmin" : alias + ".xmin") : alias is null ? c : alias + "." + c));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Npgsql marks lost connections and most server-side transient states; a server shutting down (57P01..57P03) and a
    // connection exception class (08) are transient whatever the driver's version says.
    protected override bool IsTransient(DbException exception)
        => exception.IsTransient
            || exception is PostgresException { SqlState: ['0', '8', ..] or ['5', '3', ..] or ['5', '7', ..] or ['5', '8', ..] or ['4', '0', ..] or "55P03" };

    // Connection exceptions (08), credentials refused (28), no such database (3D000), too many connections (53300) and a server
    // shutting down or starting up (57P01..57P03): whatever the engine sends fails alike until the server or its settings change.
    protected override bool IsUnreachable(DbException exception)
        => exception is PostgresException { SqlState: ['0', '8', ..] or ['2', '8', ..] or "3D000" or "53300" or "57P01" or "57P02" or "57P03" };

    public override string DescribeTarget()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        var database = string.IsNullOrEmpty(builder.Database) ? "" : $", database {builder.Database}";
        var user = string.IsNullOrEmpty(builder.Username) ? "" : $", user {builder.Username}";
        // Host may list several servers ("a,b:5433"); the port applies to those that name none.
        return $"PostgreSQL server {builder.Host ?? "localhost"} port {builder.Port}{database}{user}";
    }

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_unlock({MigrationLockKey})";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
