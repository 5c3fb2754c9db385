using System.Globalization;
using Microsoft.JSInterop;

namespace Jobs.Dashboard.Components;

/// <summary>Times as the operator reads them: in the browser's time zone, asked once per circuit (UTC until then, or when the
/// browser cannot tell), with the UTC time kept for titles so times compare across zones and with logs.</summary>
internal sealed class BrowserTime
{
    private const string Format = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The browser's zone, or UTC.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>UTC or a zone that never leaves it ("Etc/UTC"): times then say "UTC" instead of an offset.</summary>
    private bool IsUtc => Zone.BaseUtcOffset == TimeSpan.Zero && !Zone.SupportsDaylightSavingTime;

    /// <summary>Asks the browser for its IANA zone (dashboard.js); keeps UTC when the script is absent (the dashboard inside a host's
    /// own page) or names a zone this machine does not know.</summary>
    public async Task DetectAsync(IJSRuntime js, CancellationToken cancellationToken)
    {
        try
        {
            var id = await js.InvokeAsync<string?>("jobsDashboard.timeZone", cancellationToken);
            if (id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                Zone = zone;
            }
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            // No script, no Intl, or the browser left: UTC.
        }
    }

    /// <summary>"2026-12-02 18:30:05" in the browser's zone (with its offset from UTC when that is not zero), "—" for none.</summary>
    public string Local(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "—";
        }

        if (IsUtc)
        {
            return Fmt.Time(t);
        }

        var local = TimeZoneInfo.ConvertTime(t, Zone);
        return $"{local.ToString(Format, CultureInfo.InvariantCulture)} ({Offset(local.Offset)})";
    }

    /// <summary>For a title: the UTC time, and how long ago or ahead it is.</summary>
    public static string Utc(DateTimeOffset? at, DateTimeOffset now) => at is null ? "" : $"{Fmt.Time(at)} · {Fmt.Ago(at, now)}";

    /// <summary>For the title of a relative time: the local and the UTC time.</summary>
    public string Both(DateTimeOffset? at) => at is null ? "" : IsUtc ? Fmt.Time(at) : $"{Local(at)} · {Fmt.Time(at)}";

    private static string Offset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var d = offset.Duration();
        return d.Minutes == 0 ? $"UTC{sign}{d.Hours}" : $"UTC{sign}{d.Hours}:{d.Minutes:00}";
    }
}
