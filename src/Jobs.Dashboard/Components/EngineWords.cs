using System.Globalization;
using System.Text.RegularExpressions;

namespace Jobs.Dashboard.Components;

/// <summary>The engine's messages (written for logs, in the engine's own terms) in the dashboard's words: a destroyed job is
/// "deleted", as the action that removes it is called, and counts take their proper singular ("1 attempt").</summary>
internal static partial class EngineWords
{
    public static string Say(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return "";
        }

        var text = Destroyed().Replace(message, m => m.Value[0] == 'D' ? "Deleted" : "deleted");
        return Attempts().Replace(text, m => Fmt.Count(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), "attempt", "attempts"));
    }

    [GeneratedRegex(@"\b[Dd]estroyed\b")]
    private static partial Regex Destroyed();

    [GeneratedRegex(@"\b(\d+) attempts\b")]
    private static partial Regex Attempts();
}
