using System.Data.Common;

namespace Jobs.Storage;

/// <summary>What differs between databases: how contexts are made, how versions move, how a claim returns its winners.</summary>
internal abstract class StorageProvider
{
    public abstract JobsDbContext CreateContext();

    /// <summary>The SET fragment that moves the version on a write, empty where the database moves it itself.</summary>
    public abstract string BumpVersion { get; }

    /// <summary>Wraps a CAS UPDATE so that it yields the updated rows' columns.</summary>
    public abstract string UpdateReturning(string table, string set, string where, string columns);

    /// <summary>Prepares the database once per process before the schema is applied (journal mode and the like).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serializes this process's write transactions where the database allows one writer at a time, so they queue
    /// here instead of spinning in the database's busy handler. A no-op where writers run concurrently.</summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>A short name for logs and metrics.</summary>
    public abstract string Name { get; }
}
