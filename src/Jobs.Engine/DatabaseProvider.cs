namespace Jobs;

/// <summary>The database that stores jobs.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file: one machine, one or more processes.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL database shared by any number of pools on any number of machines; idle pools are woken with
    /// <c>LISTEN/NOTIFY</c>.</summary>
    PostgreSql = 1,

    /// <summary>A SQL Server (2016 or later) database shared by any number of pools on any number of machines.</summary>
    SqlServer = 2,
}
