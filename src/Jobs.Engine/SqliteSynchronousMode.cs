namespace Jobs;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting, which trades durability for commit speed.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Every commit is flushed to disk: nothing committed is lost on power failure. The default.</summary>
    Full = 0,

    /// <summary>WAL checkpoints are flushed, commits are not: the last commits can be lost on power failure (never on a process crash).</summary>
    Normal = 1,

    /// <summary>No flushing at all: a power failure can corrupt the database. For throwaway data only.</summary>
    Off = 2,
}
