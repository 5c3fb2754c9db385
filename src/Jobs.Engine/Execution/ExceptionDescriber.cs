using System.Globalization;
using System.Text;
using Jobs.Storage;

namespace Jobs.Execution;

/// <summary>Turns whatever a handler threw into a storable <see cref="JobError"/> without ever throwing itself. Handler
/// exceptions are user code: <c>Message</c>, <c>StackTrace</c> and <c>ToString</c> are virtual and may throw, an inner
/// chain may be cyclic (set by reflection) or thousands deep, and <see cref="Exception.ToString"/> recurses through it.
/// Every part is read on its own; a part that throws becomes a note such as <c>&lt;Message threw InvalidOperationException&gt;</c>.</summary>
internal static class ExceptionDescriber
{
    /// <summary>Levels of inner exceptions written out; deeper ones are summarised.</summary>
    internal const int MaxDepth = 16;

    /// <summary>Exceptions written out in one text (AggregateException children included).</summary>
    internal const int MaxExceptions = 64;

    /// <summary>Each exception's own stack trace, in a text this builds itself.</summary>
    private const int StackMax = 16_384;

    public static JobError Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        try
        {
            return StoredText.HistoryError(TypeName(exception), Read(exception, static e => e.Message, "Message"), FullText(exception));
        }
#pragma warning disable CA1031 // Describing must not fail whatever the exception does; running out of memory included.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            return new JobError(SafeTypeName(exception), $"<the exception could not be described: {failure.GetType().Name}>", "");
        }
    }

    /// <summary>The exception's message for a log line or a trace status: read defensively, made storable, kept short.</summary>
    public static string Message(Exception exception)
        => StoredText.Clean(Read(exception, static e => e.Message, "Message"), StoredText.BriefMessageMax);

    private static string FullText(Exception exception)
    {
        // The exception's own ToString is the familiar text, and some types add to it (file names, error numbers). It is used
        // only when the walk below found nothing that would make it throw, recurse without end, or repeat a huge message.
        if (IsPlain(exception))
        {
            try
            {
                if (exception.ToString() is { } text)
                {
                    return text;
                }
            }
#pragma warning disable CA1031 // A throwing ToString is one more thing a handler's exception may do; the text is built instead.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        var builder = new StringBuilder();
        Append(builder, exception, 0, new HashSet<Exception>(ReferenceEqualityComparer.Instance), new HashSet<Exception>(ReferenceEqualityComparer.Instance));
        return builder.ToString();
    }

    /// <summary>True when the exception graph is small, acyclic, and every message reads and fits a line.</summary>
    private static bool IsPlain(Exception root)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(Exception Exception, int Depth)>();
        pending.Push((root, 0));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > MaxDepth || !seen.Add(item.Exception) || seen.Count > MaxExceptions)
            {
                return false;
            }

            string message;
            try
            {
                message = item.Exception.Message;
            }
#pragma warning disable CA1031 // Any failure means the text is built part by part instead.
            catch (Exception)
#pragma warning restore CA1031
            {
                return false;
            }

            if (message is null || message.Length > StoredText.BriefMessageMax || Children(item.Exception, out _) is not { } children)
            {
                return false;
            }

            foreach (var child in children)
            {
                pending.Push((child, item.Depth + 1));
            }
        }

        return true;
    }

    // seen: every exception written so far; path: those that wrap the one being written, so meeting one again is a cycle
    // (an exception met twice elsewhere, such as the same child twice in an AggregateException, is only a repeat).
    private static void Append(StringBuilder builder, Exception exception, int depth, HashSet<Exception> seen, HashSet<Exception> path)
    {
        seen.Add(exception);
        path.Add(exception);
        builder.Append(TypeName(exception)).Append(": ")
            .Append(StoredText.Clean(Read(exception, static e => e.Message, "Message"), StoredText.BriefMessageMax));

        var children = Children(exception, out var childrenFailure) ?? [];
        var aggregate = exception is AggregateException;
        if (childrenFailure is not null)
        {
            builder.AppendLine().Append(" ---> ").Append(childrenFailure);
        }

        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            builder.AppendLine().Append(aggregate ? $"---> (Inner Exception #{i}) " : " ---> ");
            if (path.Contains(child))
            {
                builder.Append(CultureInfo.InvariantCulture, $"<{TypeName(child)}, shown above: the chain of inner exceptions is a cycle>");
            }
            else if (seen.Contains(child))
            {
                builder.Append(CultureInfo.InvariantCulture, $"<{TypeName(child)}, the same exception as shown above>");
            }
            else if (depth + 1 > MaxDepth || seen.Count >= MaxExceptions)
            {
                builder.Append(CultureInfo.InvariantCulture, $"<{TypeName(child)} and whatever it wraps not shown: more than {MaxDepth} levels or {MaxExceptions} exceptions>");
            }
            else
            {
                Append(builder, child, depth + 1, seen, path);
            }

            builder.AppendLine().Append(aggregate ? "<---" : "   --- End of inner exception stack trace ---");
        }

        var stack = StoredText.Clean(Read(exception, static e => e.StackTrace, "StackTrace"), StackMax);
        if (stack.Length > 0)
        {
            builder.AppendLine().Append(stack);
        }

        path.Remove(exception);
    }

    /// <summary>The exceptions this one wraps: an AggregateException's children, else the inner exception. Null, with a
    /// note, when reading them threw.</summary>
    private static IReadOnlyList<Exception>? Children(Exception exception, out string? failure)
    {
        failure = null;
        try
        {
            if (exception is AggregateException aggregate)
            {
                return [.. aggregate.InnerExceptions.Where(e => e is not null)];
            }

            return exception.InnerException is { } inner ? [inner] : [];
        }
#pragma warning disable CA1031 // A collection that throws while enumerated is reported, not propagated.
        catch (Exception thrown)
#pragma warning restore CA1031
        {
            failure = $"<InnerExceptions threw {thrown.GetType().Name}>";
            return null;
        }
    }

    private static string Read(Exception exception, Func<Exception, string?> part, string name)
    {
        try
        {
            return part(exception) ?? "";
        }
#pragma warning disable CA1031 // A getter of a handler's exception may throw anything; the note takes its place.
        catch (Exception thrown)
#pragma warning restore CA1031
        {
            return $"<{name} threw {thrown.GetType().Name}>";
        }
    }

    private static string TypeName(Exception exception)
    {
        var type = exception.GetType();
        return type.FullName ?? type.Name;
    }

    private static string SafeTypeName(Exception exception)
    {
        try
        {
            return StoredText.Clean(TypeName(exception), StoredText.ErrorTypeMax);
        }
#pragma warning disable CA1031 // The last resort must not throw either.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "System.Exception";
        }
    }
}
