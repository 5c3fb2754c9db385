using System.Globalization;
using System.Text.RegularExpressions;

namespace Jobs.Tests.Faults;

internal static partial class TextAssert
{
    /// <summary>The stored text is a prefix of the original followed by a marker that counts exactly what was cut.</summary>
    public static void CutWithMarker(string original, string stored, int max)
    {
        Assert.True(stored.Length <= max, $"{stored.Length} chars stored, at most {max} expected");
        var match = Marker().Match(stored);
        Assert.True(match.Success, $"no truncation marker at the end of: …{stored[^Math.Min(80, stored.Length)..]}");
        var kept = stored[..match.Index];
        var cut = int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(original.Length, kept.Length + cut);
        Assert.StartsWith(kept, original, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"… \[truncated ([0-9,]+) chars\]$")]
    private static partial Regex Marker();
}
