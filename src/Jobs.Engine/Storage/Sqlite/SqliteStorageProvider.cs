using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;
using Jobs.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Jobs.Storage.Sqlite;

internal sealed class SqliteStorageProvider : StorageProvider
{
    private readonly DbContextOptions<SqliteJobsDbContext> _options;
    private readonly PooledDbContextFactory<SqliteJobsDbContext> _contexts;

    public SqliteStorageProvider(DatabaseOptions database)
        : base(database)
    {
        _connectionString = database.ConnectionString;
        _options = new DbContextOptionsBuilder<SqliteJobsDbContext>()
            .UseSqlite(database.ConnectionString, s => s.CommandTimeout(database.CommandTimeoutSeconds))
            .AddInterceptors(new SqliteConnectionInterceptor(database.SqliteSynchronous, database.CommandTimeoutSeconds * 1000))
            .Options;
        _contexts = new PooledDbContextFactory<SqliteJobsDbContext>(_options);
    }

    private readonly SemaphoreSlim _writer = new(1, 1);

    // SQLite has no notifications; "PRAGMA data_version" changes when another connection (of any process) commits. The
    // listener reads it after each write to the database's files (SqliteFileWatch), at most once per CheckSpacing so that a
    // burst of commits costs one read per spacing, and at the latest every QuietCheckInterval, in case a write went unseen.
    internal static readonly TimeSpan CheckSpacing = TimeSpan.FromMilliseconds(2);
    internal static readonly TimeSpan QuietCheckInterval = TimeSpan.FromMilliseconds(500);

    // A commit becomes visible after its last file write (WAL mode: the frames are written, synced, then the index in the
    // mmapped -shm file is updated, which no watcher reports), so the listener keeps reading for this long after a write.
    // Without it, about 1 % of pickups waited for QuietCheckInterval (p99 508 ms).
    internal static readonly TimeSpan CommitSettling = TimeSpan.FromMilliseconds(50);

    private readonly string _connectionString;

    public override string Name => "sqlite";

    public override string? WakeChannel => "data_version";

    public override async Task ListenAsync(Action<DateTime?> wake, Func<bool> woken, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "PRAGMA data_version";
                command.Prepare();
                var seen = (long)command.ExecuteScalar()!;
                Log.ListenerConnected(logger, "SQLite data_version of " + connection.DataSource);

                // Commits made while nobody looked went unseen: look once now.
                wake(null);
                using var files = SqliteFileWatch.For(_connectionString);
                long? lastWrite = null;
                while (true)
                {
                    await Task.Delay(CheckSpacing, time, cancellationToken).ConfigureAwait(false);
                    var settling = lastWrite is { } at && time.GetElapsedTime(at) < CommitSettling;
                    if (!files.NextWrite.IsCompleted && !settling)
                    {
                        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        await Task.WhenAny(files.NextWrite, Task.Delay(QuietCheckInterval, time, quiet.Token)).ConfigureAwait(false);
                        await quiet.CancelAsync().ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (files.NextWrite.IsCompleted)
                    {
                        files.Reset();
                        // A busy pool has not taken the last wake-up yet and looks again when a worker is free: reading every
                        // few milliseconds after each of a busy database's writes (its own commits write these files too)
                        // would tell it nothing, at the cost of the 2 ms polling this watch replaced. Pause for a settling
                        // period instead; a commit seen late by that is one the pool's next claim finds anyway.
                        if (woken())
                        {
                            lastWrite = null;
                            await Task.Delay(CommitSettling, time, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        lastWrite = time.GetTimestamp();
                    }

                    // Synchronous on purpose: Microsoft.Data.Sqlite runs its "async" calls synchronously anyway, and this is
                    // a read of the open connection's header, not I/O that could be awaited.
                    var version = (long)command.ExecuteScalar()!;
                    if (version != seen)
                    {
                        seen = version;
                        lastWrite = null; // The write's commit is seen: no need to keep reading until the next write.
                        wake(null);
                    }
                }
            }
        }
    }

    public override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_writer);
    }

    public override string BumpVersion => "version = version + 1";

    public override string False => "0";

    public override string True => "1";

    // SQLite's own limit is 32,766, but it finds a named parameter by a linear search, so binding n of them costs n²:
    // 7,000 parameters took 200 ms to bind, 700 take under 1 ms. Short statements are faster here.
    public override int MaxParameters => 1_000;

    // Pooled: a new context costs ~100 µs of service resolution, more than the write it serves on SQLite.
    public override JobsDbContext CreateContext() => _contexts.CreateDbContext();

    public override string ReadVersion(string? alias = null) => alias is null ? "version" : alias + ".version";

    public override string VersionMatches(string parameter) => "version = " + parameter;

    // No row locks in SQLite, and none needed: the claim's transaction begins IMMEDIATE (Microsoft.Data.Sqlite's default),
    // holding the database's one write lock, so the rows it picks cannot be taken by another process first. The ids are
    // picked by the claim-order index and each row is then found by its id.
    public override string ClaimSql(string filter, string set)
        => UpdateReturning(
            "jobs", set + ", " + BumpVersion, $"id IN (SELECT id FROM jobs WHERE {filter} ORDER BY priority DESC, run_at, id LIMIT @limit)", JobColumns.Names);

    public override bool UpdatesManyFromValues => true;

    public override string UpdateManyFromValues(string set, string rows)
        => $"UPDATE jobs SET {set} FROM (VALUES {rows}) AS c WHERE jobs.id = c.column1 AND jobs.version = c.column2 RETURNING id";

    // 9 parameters a row, within MaxParameters.
    public override int MaxInsertRows => 100;

    public override void BuildInsert(DbCommand command, IReadOnlyList<JobRecord> jobs, IReadOnlyList<string?> messages)
    {
        // Rows of one VALUES list get ascending rowids in their order.
        var sql = new StringBuilder(
            "INSERT INTO jobs (type, queue, payload, priority, run_at, scheduled_at, interval_ms, status, max_retries, attempt, created_at, cancel_requested, pause_requested, trace_parent, trace_state, version) VALUES ");
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var k = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "(" : ", (")
                .Append("@t").Append(k).Append(", @q").Append(k).Append(", @p").Append(k).Append(", @pr").Append(k)
                .Append(", @r").Append(k).Append(", @r").Append(k).Append(", @i").Append(k).Append(", 0, @m").Append(k).Append(", 0, @now, 0, 0, @tp").Append(k).Append(", @ts").Append(k).Append(", 1)");
            AddParameter(command, "@t" + k, job.Type);
            AddParameter(command, "@q" + k, job.Queue);
            AddParameter(command, "@p" + k, job.Payload);
            AddParameter(command, "@pr" + k, job.Priority);
            AddParameter(command, "@r" + k, job.RunAt);
            AddParameter(command, "@i" + k, job.IntervalMs);
            AddParameter(command, "@m" + k, job.MaxRetries);
            AddParameter(command, "@tp" + k, job.TraceParent);
            AddParameter(command, "@ts" + k, job.TraceState);
        }

        command.CommandText = sql.Append(" RETURNING id, version").ToString();
    }

    public override string UpdateReturning(string table, string set, string where, IReadOnlyList<string> columns)
        => $"UPDATE {table} SET {set} WHERE {where} RETURNING {string.Join(", ", columns)}";

    // SQLite's LIKE ignores the case of ASCII letters by itself, and only of those: an ASCII pattern needs no lowering (and no
    // call into .NET per row). Any other pattern is matched against the text lowered by SqliteText, which folds every script,
    // but only in rows that first pass SQLite's own LIKE with a sieve of the pattern (SqliteText.Sieve), which every row that
    // matches passes: most rows are decided without .NET. Measured on 100,000 rows, a non-ASCII term that matches nothing:
    // 690 ms without the sieve, about 90 ms with it; an ASCII term, about 65 ms. One character is not folded on either path:
    // the Kelvin sign, the only non-ASCII character that .NET lowers to an ASCII letter (k), is no K to SQLite's LIKE.
    public override Expression<Func<string?, bool>> LikeIgnoringCase(string pattern)
    {
        if (Ascii.IsValid(pattern))
        {
            return column => EF.Functions.Like(column, pattern, LikeEscape);
        }

        var sieve = SqliteText.Sieve(pattern);
        return column => EF.Functions.Like(column, sieve, LikeEscape) && EF.Functions.Like(SqliteText.Lower(column), pattern, LikeEscape);
    }

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (the dashboard, other pools) work while one writer commits; the mode is stored in the file.
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }

        base.Dispose(disposing);
    }

    // SQLITE_CANTOPEN: the file or its directory is missing, or this process may not open it; nothing else makes a file
    // database unreachable.
    protected override bool IsUnreachable(DbException exception) => exception is SqliteException { SqliteErrorCode: 14 };

    public override string DescribeTarget()
    {
        var source = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        if (source.Length == 0 || source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return $"SQLite database '{source}'";
        }

        // SQLite resolves a relative path against the working directory, which is rarely the one an operator assumes.
        return $"SQLite file {Path.GetFullPath(source)}";
    }

    public override string ReachHint => "Jobs:Database:ConnectionString (Data Source) and that the file's directory exists and this process may create and write files in it";

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL: another writer, the disk or the
    // file system, all of which pass. Constraint, size and type errors do not.
    protected override bool IsTransient(DbException exception)
        => exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 or 15 };

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
