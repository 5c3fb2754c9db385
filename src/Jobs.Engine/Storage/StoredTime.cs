namespace Jobs.Storage;

/// <summary>Times as the engine stores them: whole microseconds on every provider. PostgreSQL's <c>timestamptz</c> keeps
/// microseconds, so a 100 ns value sent as is comes back different from the handle that stored it (and Npgsql rounds
/// times before 2000 the other way); cutting every time to the microsecond before it is written keeps a handle and a
/// later read equal, and SQLite and SQL Server behave the same as PostgreSQL.</summary>
internal static class StoredTime
{
    public static DateTime Truncate(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), value.Kind);

    public static DateTime UtcNow(TimeProvider time) => Truncate(time.GetUtcNow().UtcDateTime);
}
