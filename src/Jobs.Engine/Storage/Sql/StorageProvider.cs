using System.Data.Common;
using System.Linq.Expressions;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobs.Storage.Sql;

/// <summary>What differs between databases: how contexts are made, how the version is read and compared, the claim and
/// insert statements, how errors are read and how other processes are woken. Everything else the driver sends
/// (<see cref="SqlJobDriver"/>) is plain SQL every provider reads the same way.</summary>
internal abstract class StorageProvider : IDisposable
{
    protected StorageProvider(DatabaseOptions database) => CommandTimeoutSeconds = database.CommandTimeoutSeconds;

    /// <summary>A short name for logs and metrics.</summary>
    public abstract string Name { get; }

    /// <summary>How long one statement may run, in seconds (<see cref="DatabaseOptions.CommandTimeoutSeconds"/>).</summary>
    public int CommandTimeoutSeconds { get; }

    public abstract JobsDbContext CreateContext();

    /// <summary>Runs <paramref name="read"/> on a context of its own, returned to the pool after.</summary>
    public async Task<T> ReadAsync<T>(Func<JobsDbContext, Task<T>> read)
    {
        var db = CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await read(db).ConfigureAwait(false);
        }
    }

    /// <summary>The SET fragment that moves the version on a write, empty where the database moves it itself.</summary>
    public abstract string BumpVersion { get; }

    /// <summary>An expression that reads a row's version as a 64-bit integer (optionally qualified by <paramref name="alias"/>).</summary>
    public abstract string ReadVersion(string? alias = null);

    /// <summary>A condition that holds when the row is still at the version held by <paramref name="parameter"/>.</summary>
    public abstract string VersionMatches(string parameter);

    /// <summary>The literal for false in a SET clause.</summary>
    public abstract string False { get; }

    /// <summary>The literal for true in a SET clause.</summary>
    public abstract string True { get; }

    /// <summary>The most parameters one command may carry.</summary>
    public abstract int MaxParameters { get; }

    /// <summary>Builds the claim: one statement that picks, in claim order (higher priority, then earlier run time, then
    /// insertion order), at most <c>@limit</c> rows meeting <paramref name="filter"/> that no other pool is claiming, moves
    /// them with <paramref name="set"/>, and yields them in <see cref="JobColumns.Names"/> order. PostgreSQL and SQL Server
    /// lock the rows they pick and pass over rows other pools hold; SQLite's claim runs in a transaction that holds the
    /// database's one write lock. Where <see cref="WritesEventsInStatement"/>, the statement also writes each claimed job's
    /// Started event (at <c>@now</c>, by <c>@pool</c>).</summary>
    public abstract string ClaimSql(string filter, string set);

    /// <summary>True where one statement can change a row and write its events (PostgreSQL's data-modifying WITH). The claim
    /// then writes its Started events itself, and a batch of compare-and-swaps with their events, the wake-up and the next
    /// claim travel together as one implicit transaction: one round trip, no BEGIN or COMMIT of their own.</summary>
    public virtual bool WritesEventsInStatement => false;

    /// <summary>Where <see cref="WritesEventsInStatement"/>: <paramref name="write"/> (a compare-and-swap UPDATE or DELETE of one
    /// row), then, only if it changed the row, the events in <paramref name="eventRows"/>: a VALUES list of
    /// (at, kind, attempt, pool_id, message, error_type, error_message, error_stack_trace, actor). The statement's row count
    /// is the number of events written.</summary>
    public virtual string WriteWithEvents(string write, string eventRows)
        => throw new NotSupportedException($"{Name} writes events in statements of their own.");

    /// <summary>True where one UPDATE can join a VALUES list and return the ids it changed (SQLite's UPDATE … FROM …
    /// RETURNING): a batch of compare-and-swaps of one shape is then one statement instead of one per row.</summary>
    public virtual bool UpdatesManyFromValues => false;

    /// <summary>Where <see cref="UpdatesManyFromValues"/>: <paramref name="set"/> applied to every row of <paramref name="rows"/>
    /// (a VALUES list of (id, expected version, value 0, value 1…), read as <c>c.column1</c>, <c>c.column2</c>,
    /// <c>c.column3</c>…) whose job is still at that version; yields the ids of the rows it changed.</summary>
    public virtual string UpdateManyFromValues(string set, string rows)
        => throw new NotSupportedException($"{Name} updates rows one statement each.");

    /// <summary>Where <see cref="WritesEventsInStatement"/>: one compare-and-swap of many rows with the same SET list
    /// (<paramref name="set"/>, reading each row's values as <c>c.column</c> for <paramref name="columns"/>), from array
    /// parameters <c>@ids</c>, <c>@seen</c> and one per column, and the events of the rows it won from <c>@e0</c>…<c>@e9</c>
    /// (the columns of <see cref="SqlSession.EventRow"/>). It yields the id of every won row once per event.</summary>
    public virtual string WriteManyWithEvents(string set, IReadOnlyList<string> columns)
        => throw new NotSupportedException($"{Name} writes events in statements of their own.");

    /// <summary>Wraps a CAS UPDATE so that it yields the updated rows' columns; a column named <c>version</c> is read with
    /// <see cref="ReadVersion"/>.</summary>
    public abstract string UpdateReturning(string table, string set, string where, IReadOnlyList<string> columns);

    /// <summary>How many new jobs one <see cref="BuildInsert"/> statement may carry; 0 where the provider has no such
    /// statement and EF inserts new jobs instead.</summary>
    public virtual int MaxInsertRows => 0;

    /// <summary>True when <see cref="BuildInsert"/>'s statement also writes each job's Scheduled event.</summary>
    public virtual bool InsertWritesEvents => false;

    /// <summary>Builds one statement that inserts <paramref name="jobs"/> (queued, attempt 0, created at <c>@now</c>) and yields
    /// each new row's id and version. Ids ascend in the order of <paramref name="jobs"/>, which is how the caller matches them.
    /// Where <see cref="InsertWritesEvents"/>, it also writes a Scheduled event per job with the matching
    /// <paramref name="messages"/> entry.</summary>
    public virtual void BuildInsert(DbCommand command, IReadOnlyList<JobRecord> jobs, IReadOnlyList<string?> messages)
        => throw new NotSupportedException($"{Name} inserts new jobs through EF.");

    /// <summary>True where several statements travel to the server in one round trip (<see cref="DbBatch"/>), each
    /// reporting its own row count: the completer then sends a whole batch of compare-and-swaps at once.</summary>
    public virtual bool BatchesStatements => false;

    /// <summary>Adds a parameter holding a version, typed as the database compares versions.</summary>
    public void AddVersionParameter(DbCommand command, string name, long version)
        => command.Parameters.Add(VersionParameter(command.CreateParameter(), name, version));

    /// <inheritdoc cref="AddVersionParameter(DbCommand, string, long)"/>
    public void AddVersionParameter(DbBatchCommand command, string name, long version)
        => command.Parameters.Add(VersionParameter(command.CreateParameter(), name, version));

    /// <summary>Adds a parameter; providers type values their database would otherwise read differently.</summary>
    public void AddParameter(DbCommand command, string name, object? value)
        => command.Parameters.Add(Parameter(command.CreateParameter(), name, value));

    /// <inheritdoc cref="AddParameter(DbCommand, string, object?)"/>
    public void AddParameter(DbBatchCommand command, string name, object? value)
        => command.Parameters.Add(Parameter(command.CreateParameter(), name, value));

    protected virtual DbParameter Parameter(DbParameter parameter, string name, object? value)
    {
        parameter.ParameterName = name;
        parameter.Value = Stored(value) ?? DBNull.Value;
        return parameter;
    }

    /// <summary>A value as the database stores it: statuses as numbers, times at the stored precision.</summary>
    protected static object? Stored(object? value) => value switch
    {
        JobStatus s => (int)s,
        DateTime t => StoredTime.Truncate(t),
        _ => value,
    };

    /// <summary>Where <see cref="WritesEventsInStatement"/>: adds <paramref name="values"/> (one per row, nulls allowed, all of
    /// one type) as one array parameter, for statements that change many rows through <c>unnest</c>.</summary>
    public virtual void AddArrayParameter(DbBatchCommand command, string name, IReadOnlyList<object?> values)
        => throw new NotSupportedException($"{Name} has no array parameters.");

    /// <summary>Adds versions as one array parameter, typed as the database compares versions.</summary>
    public virtual void AddVersionArrayParameter(DbBatchCommand command, string name, IReadOnlyList<long> versions)
        => throw new NotSupportedException($"{Name} has no array parameters.");

    protected virtual DbParameter VersionParameter(DbParameter parameter, string name, long version) => Parameter(parameter, name, version);

    /// <summary>A statement, run inside a writing transaction, that wakes idle pools of other processes once it commits:
    /// jobs are ready from <c>@due</c>. Null where the database has no such channel (they poll).</summary>
    public virtual string? WakeSql => null;

    /// <summary>The channel other processes' wake-ups (<see cref="WakeSql"/>) arrive on; null where the database has none.</summary>
    public virtual string? WakeChannel => null;

    /// <summary>One listening session on <see cref="WakeChannel"/>: connects, listens, and returns when the connection is lost
    /// (logged) or <paramref name="cancellationToken"/> fires; throws when it cannot connect. The caller's loop runs it again.
    /// <paramref name="woken"/> is true while an earlier wake-up has not been taken yet.</summary>
    public virtual Task ListenAsync(Action<DateTime?> wake, Func<bool> woken, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
        => throw new NotSupportedException("This database has no wake-up channel; check WakeChannel first.");

    /// <summary>The escape character of the patterns <see cref="LikeIgnoringCase"/> is given.</summary>
    public const string LikeEscape = "\\";

    /// <summary>A condition, translated to SQL, that holds when a text column matches the <c>LIKE</c> pattern
    /// <paramref name="pattern"/> whatever the case of either: the pattern is lower-case (<see cref="string.ToLowerInvariant"/>)
    /// and escapes with <see cref="LikeEscape"/>; EF sends it as a parameter.</summary>
    /// <remarks>This default lowers the column with <c>LOWER()</c>, which folds every script where the text's collation does:
    /// SQL Server's collations do (and its default ones compare case-insensitively anyway), as do PostgreSQL's ICU and
    /// UTF-8 locales.</remarks>
#pragma warning disable CA1304, CA1311 // Translated to SQL LOWER(); no .NET culture is involved.
    public virtual Expression<Func<string?, bool>> LikeIgnoringCase(string pattern)
        => column => EF.Functions.Like(column!.ToLower(), pattern, LikeEscape);
#pragma warning restore CA1304, CA1311

    /// <summary>Prepares the database once per process before the schema is applied (journal mode and the like).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Holds the database's migration lock on <paramref name="connection"/> until disposed, for a provider whose EF Core
    /// migration lock does not keep processes that start at once from applying the same migration twice.</summary>
    public virtual Task<IAsyncDisposable?> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
        => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Serializes this process's write transactions where the database allows one writer at a time, so they queue
    /// here instead of spinning in the database's busy handler. A no-op where writers run concurrently.</summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>True when <paramref name="exception"/> says the database could not be reached or is busy for the moment, so the
    /// same write will succeed once it answers; false when the write itself is refused (encoding, size, constraint) and
    /// retrying it can never help.</summary>
    public bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or IOException or System.Net.Sockets.SocketException || (e is DbException db && IsTransient(db)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The provider's reading of its own error codes; <see cref="DbException.IsTransient"/> where it is reliable.</summary>
    protected virtual bool IsTransient(DbException exception) => exception.IsTransient;

    /// <summary>True when <paramref name="exception"/> says the database cannot be reached at all (refused, timed out, no
    /// such host, file or database, credentials refused): every operation fails alike until it is fixed or comes back, so
    /// <see cref="Diagnostics.DatabaseOutage"/> reports it once. False for a statement the database refused, or a busy moment.</summary>
    public bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JobsSchemaException)
            {
                return false;
            }

            if (e is TimeoutException or IOException or System.Net.Sockets.SocketException || (e is DbException db && IsUnreachable(db)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The provider's reading of its own error codes for <see cref="IsUnreachable(Exception)"/>.</summary>
    protected virtual bool IsUnreachable(DbException exception) => false;

    /// <summary>Which database the connection string points at, for an operator: host and port, or the file; never a secret.</summary>
    public abstract string DescribeTarget();

    /// <summary>What to check when the database cannot be reached, naming the setting.</summary>
    public virtual string ReachHint => "Jobs:Database:ConnectionString (host, port, database, user, password) and that the server is running and accepts connections from this machine";

    /// <summary>Releases what the provider keeps open (pooled connections).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
