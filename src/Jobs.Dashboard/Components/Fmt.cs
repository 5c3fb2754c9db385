using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MudBlazor;

namespace Jobs.Dashboard.Components;

/// <summary>How the dashboard shows values. Everything here returns text: the pages render it as text, never as markup.</summary>
internal static class Fmt
{
    private static readonly JsonWriterOptions PrettyJson = new()
    {
        Indented = true,

        // The result is shown as text, so characters such as < need no escaping: a payload reads as it was written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Time(DateTimeOffset? at)
        => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "—";
        }

        var d = now - t;
        var future = d < TimeSpan.Zero;
        d = d.Duration();
        var text = d.TotalSeconds < 1 ? "now"
            : d.TotalMinutes < 1 ? $"{(int)d.TotalSeconds} s"
            : d.TotalHours < 1 ? $"{(int)d.TotalMinutes} min"
            : d.TotalDays < 1 ? $"{(int)d.TotalHours} h"
            : $"{(int)d.TotalDays} d";
        return text == "now" ? text : future ? $"in {text}" : $"{text} ago";
    }

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalSeconds: < 1 } d => $"{d.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalMinutes: < 1 } d => $"{d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        { } d => $"{(int)d.TotalHours} h {d.Minutes} min",
    };

    public static string Interval(TimeSpan? interval) => interval switch
    {
        null => "—",
        { } i when i.TotalDays >= 1 && i.Ticks % TimeSpan.TicksPerDay == 0 => $"every {i.TotalDays:0} d",
        { } i when i.TotalHours >= 1 && i.Ticks % TimeSpan.TicksPerHour == 0 => $"every {i.TotalHours:0} h",
        { } i when i.TotalMinutes >= 1 && i.Ticks % TimeSpan.TicksPerMinute == 0 => $"every {i.TotalMinutes:0} min",
        { } i when i.Ticks % TimeSpan.TicksPerSecond == 0 => $"every {i.TotalSeconds:0} s",
        { } i => $"every {i.TotalMilliseconds:0} ms",
    };

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 attempt", "3 attempts": a count with its noun, never "attempt(s)".</summary>
    public static string Count(long n, string one, string many) => $"{Count(n)} {(n == 1 ? one : many)}";

    /// <summary>A count taken no further than <paramref name="limit"/>: above it, "limit+".</summary>
    public static string Count(long n, long limit) => n > limit ? Count(limit) + "+" : Count(n);

    /// <summary>The sum of counts taken no further than <paramref name="limit"/> each: "at least" when any of them stopped.</summary>
    public static string Total(IEnumerable<long> counts, long limit)
    {
        var capped = false;
        var sum = 0L;
        foreach (var n in counts)
        {
            capped |= n > limit;
            sum += Math.Min(n, limit);
        }

        return capped ? Count(sum) + "+" : Count(sum);
    }

    public static Color StatusColor(JobStatus status) => status switch
    {
        JobStatus.Queued => Color.Info,
        JobStatus.Executing => Color.Primary,
        JobStatus.Finished => Color.Success,
        JobStatus.Failed => Color.Error,
        JobStatus.Cancelled => Color.Default,
        _ => Color.Default,
    };

    public static Color EventColor(JobEventKind kind) => kind switch
    {
        JobEventKind.Succeeded => Color.Success,
        JobEventKind.Failed => Color.Error,
        JobEventKind.RetryScheduled => Color.Warning,
        JobEventKind.Started => Color.Primary,
        JobEventKind.Cancelled or JobEventKind.CancelRequested or JobEventKind.Destroyed => Color.Dark,
        JobEventKind.Rescued or JobEventKind.Released => Color.Secondary,
        _ => Color.Info,
    };

    /// <summary>An event in the words the rest of the dashboard uses: a job that succeeded is Finished (its status), and one
    /// destroyed is Deleted (the action that did it).</summary>
    public static string EventName(JobEventKind kind) => kind switch
    {
        JobEventKind.Succeeded => "Finished",
        JobEventKind.Destroyed => "Deleted",
        JobEventKind.RetryScheduled => "Retry scheduled",
        JobEventKind.CancelRequested => "Cancel requested",
        _ => kind.ToString(),
    };

    /// <summary>The payload re-indented for reading; as stored when it is not JSON.</summary>
    public static string Pretty(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "(no payload)";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, PrettyJson))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>The payload on one line, shortened, for lists.</summary>
    public static string Preview(string? json, int max = 90)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "";
        }

        string text;
        try
        {
            using var document = JsonDocument.Parse(json);
            text = JsonSerializer.Serialize(document.RootElement, OneLine);
        }
        catch (JsonException)
        {
            text = json;
        }

        return Shorten(text, max);
    }

    public static string Shorten(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
