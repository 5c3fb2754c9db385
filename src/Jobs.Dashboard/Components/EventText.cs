using System.Globalization;
using System.Text.RegularExpressions;

namespace Jobs.Dashboard.Components;

/// <summary>An event's detail as the timeline shows it. The engine writes its messages for logs (round-trip UTC times, durations in
/// milliseconds, its own words); the dashboard reads them in the browser's time zone, as human durations, and in its own words.</summary>
internal static partial class EventText
{
    public static string Detail(JobEvent e, BrowserTime times)
    {
        var text = e.Message ?? "";
        text = IsoTime().Replace(text, m => DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? times.Local(at) : m.Value);
        text = TookMilliseconds().Replace(text, m => "took " + Fmt.Duration(TimeSpan.FromMilliseconds(
            double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))));
        text = EngineWords.Say(text);
        return e.Error is { } err ? $"{text} — {err.Type}: {Fmt.Shorten(err.Message, 200)}" : text;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"took (\d+(?:\.\d+)?) ms")]
    private static partial Regex TookMilliseconds();

}
