using System.Globalization;
using System.Text;

namespace Jobs.Storage;

/// <summary>The one gate for text that user code hands the engine (exception parts, progress messages, names). Free text is
/// made storable on every provider; names are checked, since replacing characters in a name would make it another name.
/// Lengths count UTF-16 code units: PostgreSQL's <c>varchar(n)</c> counts code points, SQL Server's <c>nvarchar(n)</c> code
/// units, so a text that fits here fits both.</summary>
internal static class StoredText
{
    /// <summary>The <c>jobs.type</c> and <c>jobs.queue</c> columns.</summary>
    public const int NameMax = 200;

    /// <summary>The <c>job_events.actor</c> column: who asked for an operator's action.</summary>
    public const int ActorMax = 200;

    /// <summary>The <c>last_error_type</c> and <c>error_type</c> columns.</summary>
    public const int ErrorTypeMax = 500;

    /// <summary>The <c>progress_message</c> column.</summary>
    public const int ProgressMessageMax = 500;

    /// <summary>The <c>trace_parent</c> column: a W3C traceparent is 55 characters today; later versions may append fields.</summary>
    public const int TraceParentMax = 128;

    /// <summary>The <c>trace_state</c> column: the 512 characters W3C Trace Context asks every carrier to keep.</summary>
    public const int TraceStateMax = 512;

    /// <summary>An event's message (the engine's own sentence, with a progress message in it at most).</summary>
    public const int EventMessageMax = 2_000;

    /// <summary>An attempt's exception message, as kept in the job's history.</summary>
    public const int ErrorMessageMax = 16_384;

    /// <summary>An attempt's full exception text, as kept in the job's history.</summary>
    public const int ErrorTextMax = 65_536;

    /// <summary>The short copy of the last error on the job row, and what a log line carries.</summary>
    public const int BriefMessageMax = 2_000;

    /// <inheritdoc cref="BriefMessageMax"/>
    public const int BriefTextMax = 8_000;

    private const char Replacement = '\uFFFD';
    private const string MarkerStart = "… [truncated ";
    private const string MarkerEnd = " chars]";

    /// <summary>The text with every character no provider can store replaced by U+FFFD (NUL, which PostgreSQL rejects in
    /// <c>text</c>; unpaired UTF-16 surrogates, which have no UTF-8 encoding), cut to <paramref name="max"/> characters with
    /// a visible marker (<c>… [truncated 4,812,331 chars]</c>) when longer. Returns the same instance when nothing changes.</summary>
    public static string Clean(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keep = text.Length;
        string? marker = null;
        if (text.Length > max)
        {
            // A text cut before (the history's copy, cut again for the job row) counts what both cuts removed.
            var (body, cutBefore) = SplitMarker(text);
            var total = (long)body + cutBefore;

            // The marker counts what is cut, so its length depends on the cut; sizing it for the whole text is an upper bound.
            keep = (int)Math.Clamp(max - Marker(total).Length, 0, body);
            if (keep > 0 && keep < body && char.IsHighSurrogate(text[keep - 1]) && char.IsLowSurrogate(text[keep]))
            {
                keep--;
            }

            marker = Marker(total - keep);
        }

        var kept = text.AsSpan(0, keep);
        if (marker is null && FirstUnstorable(kept) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(keep + (marker?.Length ?? 0));
        while (kept.Length > 0)
        {
            var bad = FirstUnstorable(kept);
            if (bad < 0)
            {
                builder.Append(kept);
                break;
            }

            builder.Append(kept[..bad]).Append(Replacement);
            kept = kept[(bad + 1)..];
        }

        return builder.Append(marker).ToString();
    }

    /// <inheritdoc cref="Clean(string, int)"/>
    public static string? CleanOrNull(string? text, int max) => text is null ? null : Clean(text, max);

    /// <summary>An error as the job's history keeps it.</summary>
    public static JobError HistoryError(string type, string message, string text)
        => new(Clean(type, ErrorTypeMax), Clean(message, ErrorMessageMax), Clean(text, ErrorTextMax));

    /// <inheritdoc cref="HistoryError(string, string, string)"/>
    public static JobError HistoryError(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var cleaned = HistoryError(error.Type, error.Message, error.StackTrace);
        return cleaned == error ? error : cleaned;
    }

    /// <summary>The short copy of an error: on the job row (the full text is in the history, once per attempt) and in logs.</summary>
    public static JobError BriefError(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var brief = new JobError(Clean(error.Type, ErrorTypeMax), Clean(error.Message, BriefMessageMax), Clean(error.StackTrace, BriefTextMax));
        return brief == error ? error : brief;
    }

    /// <summary>What is wrong with a name (job type, queue) for storing and matching it, or null when it is fine:
    /// empty or blank, longer than the column, or holding control characters (NUL among them) or unpaired surrogates.</summary>
    public static string? NameProblem(string? name, int max = NameMax)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return name is null ? "is missing" : "is empty or blank";
        }

        if (name.Length > max)
        {
            return $"is {name.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; the database column holds at most {max}";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4} at index {i}; names must be printable text";
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate U+{(int)c:X4} at index {i}, which has no UTF-8 encoding";
            }
        }

        return null;
    }

    /// <summary>A name fit to quote in an error message: control characters and surrogates escaped, long names shortened.</summary>
    public static string Quote(string? name)
    {
        if (name is null)
        {
            return "(null)";
        }

        const int Shown = 60;
        var builder = new StringBuilder("'");
        foreach (var c in name.Length > Shown ? name.AsSpan(0, Shown) : name)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append(name.Length > Shown ? "…'" : "'").ToString();
    }

    private static string Marker(long cut) => $"{MarkerStart}{cut.ToString("N0", CultureInfo.InvariantCulture)}{MarkerEnd}";

    /// <summary>The length of the text before a trailing truncation marker, and the count that marker gives; (length, 0)
    /// when the text has none.</summary>
    private static (int Body, long CutBefore) SplitMarker(string text)
    {
        if (!text.EndsWith(MarkerEnd, StringComparison.Ordinal))
        {
            return (text.Length, 0);
        }

        var start = text.LastIndexOf(MarkerStart, StringComparison.Ordinal);
        var digits = text.Length - MarkerEnd.Length - start - MarkerStart.Length;
        if (start < 0 || digits <= 0)
        {
            return (text.Length, 0);
        }

        return long.TryParse(text.AsSpan(start + MarkerStart.Length, digits), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var cut) && cut >= 0
            ? (start, cut)
            : (text.Length, 0);
    }

    /// <summary>The index of the first NUL or unpaired surrogate, or -1.</summary>
    private static int FirstUnstorable(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            // Both searches are vectorized: a clean 64 KB text costs microseconds.
            var nul = text.IndexOf('\0');
            var scan = nul < 0 ? text : text[..nul];
            var surrogate = scan.IndexOfAnyInRange('\uD800', '\uDFFF');
            if (surrogate < 0)
            {
                return nul < 0 ? -1 : offset + nul;
            }

            if (char.IsHighSurrogate(text[surrogate]) && surrogate + 1 < text.Length && char.IsLowSurrogate(text[surrogate + 1]))
            {
                offset += surrogate + 2;
                text = text[(surrogate + 2)..];
                continue;
            }

            return offset + surrogate;
        }
    }
}
