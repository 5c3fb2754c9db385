using System.Data.Common;
using System.Net.Sockets;

namespace Jobs.Dashboard.Components;

/// <summary>What a page says when it cannot read: which database, and the innermost cause. The outermost message is often a
/// retry wrapper's ("An exception has been raised that is likely due to a transient failure"), which names neither.</summary>
internal static class ReadFailure
{
    private const int MaxMessage = 300;

    /// <summary>"Could not read the jobs: PostgreSQL unreachable: Connection refused".</summary>
    public static string Describe(string what, Exception exception, DatabaseProvider provider)
        => $"Could not read {what}: {ProviderName(provider)} {(Unreachable(exception) ? "unreachable" : "error")}: {Innermost(exception)}";

    public static string ProviderName(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "SQLite",
        DatabaseProvider.PostgreSql => "PostgreSQL",
        DatabaseProvider.SqlServer => "SQL Server",
        _ => provider.ToString(),
    };

    /// <summary>The message of the exception at the bottom of the chain, on one line and bounded.</summary>
    public static string Innermost(Exception exception)
    {
        var message = exception.GetBaseException().Message.ReplaceLineEndings(" ").Trim();
        return message.Length <= MaxMessage ? message : message[..MaxMessage] + "…";
    }

    /// <summary>Whether the cause is the connection rather than the statement: a socket or timeout somewhere in the chain, or a
    /// provider error the provider itself calls transient.</summary>
    private static bool Unreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or TimeoutException or DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
