using System.Text;

namespace Jobs.Dashboard.Hosting;

/// <summary>Why a dashboard request is refused: the rule, the offending value (safe to log and to echo) and the answer to send, which
/// names the fix.</summary>
internal sealed record Refusal(RefusalRule Rule, string Value, string Answer)
{
    private const int MaxValueLength = 120;

    /// <summary>Makes a value from a request fit for a log line and a plain-text answer: printable ASCII only (no line breaks to forge
    /// log entries with), and short, since a client chooses its length.</summary>
    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(none)";
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxValueLength + 3));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxValueLength)))
        {
            text.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return value.Length > MaxValueLength ? text.Append("...").ToString() : text.ToString();
    }
}
