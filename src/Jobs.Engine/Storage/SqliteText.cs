using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Jobs.Storage;

/// <summary>Unicode-aware lower-casing in SQLite, whose own <c>lower()</c> and <c>LIKE</c> fold ASCII letters only: without it
/// a search for <c>ärger</c> misses <c>ÄRGER</c>.</summary>
internal static class SqliteText
{
    public const string LowerFunction = "jobs_lower";

    /// <summary>Mapped to <see cref="LowerFunction"/> by <see cref="SqliteJobsDbContext"/>, so in a query it runs inside SQLite;
    /// the same lower-casing as the search term gets.</summary>
    public static string? Lower(string? text) => text?.ToLowerInvariant();

    /// <summary>Registers <see cref="LowerFunction"/> on a native connection, where it stays until the connection closes.</summary>
    /// <remarks>Registered on the native handle rather than through <see cref="SqliteConnection.CreateFunction{T1, TResult}(string, Func{T1, TResult}, bool)"/>:
    /// Microsoft.Data.Sqlite removes the functions a <see cref="SqliteConnection"/> created from the handle when it returns it to
    /// the pool, so the next connection to take the handle would find the function gone, while this one survives pooling and
    /// needs registering once per native connection, with the pragmas.</remarks>
    public static void Register(sqlite3 handle)
    {
        var rc = raw.sqlite3_create_function(handle, LowerFunction, 1, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, LowerOf);
        SqliteException.ThrowExceptionForRC(rc, handle);
    }

    private static void LowerOf(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        if (raw.sqlite3_value_type(args[0]) == raw.SQLITE_NULL)
        {
            raw.sqlite3_result_null(context);
            return;
        }

        raw.sqlite3_result_text(context, raw.sqlite3_value_text(args[0]).utf8_to_string().ToLowerInvariant());
    }
}
