using System.Data.Common;
using System.IO;
using System.Net.Sockets;

namespace Jobs.Diagnostics;

/// <summary>The one line of a failure an operator acts on: the innermost exception's message ("Connection refused"), not the
/// driver's wrappers around it nor their stacks.</summary>
// The dashboard and the demo server compile this file into their own assemblies (they see none of the engine's internals),
// so that their back-off warnings read like the engine's.
internal static class FailureCause
{
    private const int MaxLength = 300;

    /// <summary>The innermost exception's message on one line, without a closing full stop, cut at <see cref="MaxLength"/> characters.</summary>
    public static string Of(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        // Without its closing full stop: the cause is set inside a sentence of its own ("...: {Cause}. Check ...").
        var message = innermost.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        if (message.Length == 0)
        {
            message = innermost.GetType().Name;
        }

        return message.Length <= MaxLength ? message : string.Concat(message.AsSpan(0, MaxLength), "…");
    }

    /// <summary>True when <paramref name="exception"/> came from the database or the way to it (a driver error, a socket, a
    /// timeout): for code that cannot ask the provider, a failure worth a terse retry line rather than a stack per retry.</summary>
    public static bool IsFromDatabase(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
