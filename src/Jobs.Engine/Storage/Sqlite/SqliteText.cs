using System.Collections;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Jobs.Storage.Sqlite;

/// <summary>Unicode-aware lower-casing in SQLite, whose own <c>lower()</c> and <c>LIKE</c> fold ASCII letters only: without it
/// a search for <c>ärger</c> misses <c>ÄRGER</c>.</summary>
internal static class SqliteText
{
    public const string LowerFunction = "jobs_lower";

    /// <summary>Mapped to <see cref="LowerFunction"/> by <see cref="SqliteJobsDbContext"/>, so in a query it runs inside SQLite;
    /// the same lower-casing as the search term gets.</summary>
    public static string? Lower(string? text) => text?.ToLowerInvariant();

    // The characters that another character lowers to (ä, the lower case of Ä; ß, of ẞ), found once from .NET's own table.
    private static readonly Lazy<BitArray> LowerCaseOfAnother = new(() =>
    {
        var found = new BitArray(char.MaxValue + 1);
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var lower = char.ToLowerInvariant((char)c);
            if (lower != c)
            {
                found[lower] = true;
            }
        }

        return found;
    });

    /// <summary>A pattern SQLite's own case-insensitive LIKE matches in every text whose lower-case form matches the lower-case
    /// <paramref name="pattern"/>: each character that other characters lower to becomes <c>_</c>, the one-character
    /// wildcard, since lowering maps each character to one character in the same place. ASCII letters stay (SQLite folds
    /// them), as do the characters of caseless scripts (CJK, Arabic, Hebrew...), which only match themselves.</summary>
    public static string Sieve(string pattern)
    {
        var sieve = new StringBuilder(pattern.Length);
        foreach (var rune in pattern.EnumerateRunes())
        {
            var onlyItself = rune.IsBmp && !LowerCaseOfAnother.Value[rune.Value] && char.ToLowerInvariant((char)rune.Value) == rune.Value;
            sieve.Append(rune.IsAscii || onlyItself ? rune.ToString() : "_");
        }

        return sieve.ToString();
    }

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
