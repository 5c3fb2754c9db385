namespace Jobs;

/// <summary>The database that stores jobs.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file: one machine, one or more processes.</summary>
    Sqlite = 0,
}
