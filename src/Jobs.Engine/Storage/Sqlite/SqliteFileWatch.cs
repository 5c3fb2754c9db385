using Microsoft.Data.Sqlite;

namespace Jobs.Storage.Sqlite;

/// <summary>Tells the SQLite listener when another connection may have committed: a commit writes the database's files
/// (the <c>-wal</c> file in WAL mode, the file itself otherwise), and the operating system reports the write (inotify on
/// Linux, through <see cref="FileSystemWatcher"/>). An idle pool then reads <c>PRAGMA data_version</c> only after a write,
/// instead of every few milliseconds.</summary>
// Measured with the benchmark's idle window: reading data_version every 2 ms cost 12.6 CPU seconds per idle minute over the
// pool's own 0.5 s, and every 20 ms still 4.4 s, so polling fast enough for millisecond pickup was too dear to leave on.
internal sealed class SqliteFileWatch : IDisposable
{
    private readonly FileSystemWatcher? _watcher;
    private TaskCompletionSource _written = New();

    private SqliteFileWatch(FileSystemWatcher? watcher)
    {
        _watcher = watcher;
        if (watcher is null)
        {
            return;
        }

        watcher.Changed += (_, _) => Written();
        watcher.Created += (_, _) => Written();
        watcher.Renamed += (_, _) => Written();
        watcher.Deleted += (_, _) => Written();
        watcher.Error += (_, _) => Written(); // Events were lost (a full buffer): assume a write.
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>True when file writes are reported; false for an in-memory database or where the platform cannot watch the
    /// folder, and the listener then looks at its slow pace only.</summary>
    public bool Watching => _watcher is not null;

    /// <summary>Watches the files of the database <paramref name="connectionString"/> names, where it names a file.</summary>
    public static SqliteFileWatch For(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (source.Length == 0 || source == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteFileWatch(null); // Another process cannot share an in-memory database; URI names are not resolved here.
        }

        var path = Path.GetFullPath(source);
        try
        {
            // The database, its -wal and -shm files and its journal: every commit writes one of them.
            return new SqliteFileWatch(new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
                IncludeSubdirectories = false,
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            return new SqliteFileWatch(null); // No watch here (the limit of inotify watches, say): the slow pace still finds commits.
        }
    }

    /// <summary>Forgets the writes seen so far; call before reading data_version, so a write after the read is not missed.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _written);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _written, New(), current);
        }
    }

    /// <summary>Completes at the first write since the last <see cref="Reset"/>.</summary>
    public Task NextWrite => Volatile.Read(ref _written).Task;

    public void Dispose() => _watcher?.Dispose();

    private void Written() => Volatile.Read(ref _written).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
