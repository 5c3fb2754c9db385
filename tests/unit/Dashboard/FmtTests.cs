using Jobs.Dashboard.Components;

namespace Jobs.Tests.Dashboard;

/// <summary>How bounded counts read on the dashboard: exact up to the limit, "limit+" beyond it.</summary>
public sealed class FmtTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(9_999, "9,999")]
    [InlineData(10_000, "10,000")]
    [InlineData(10_001, "10,000+")]
    public void Count_BoundedCount_ExactUpToTheLimitPlusBeyondIt(long count, string shown)
        => Assert.Equal(shown, Fmt.Count(count, 10_000));

    [Theory]
    [InlineData(0, "0 attempts")]
    [InlineData(1, "1 attempt")]
    [InlineData(3, "3 attempts")]
    [InlineData(1_500, "1,500 attempts")]
    public void Count_WithNoun_SingularOnlyForOne(long count, string shown)
        => Assert.Equal(shown, Fmt.Count(count, "attempt", "attempts"));

    [Fact]
    public void Total_NoCountStopped_ShowsTheExactSum()
        => Assert.Equal("19,000", Fmt.Total([9_000, 10_000, 0], 10_000));

    [Fact]
    public void Total_OneCountStopped_ShowsALowerBoundWithPlus()
        => Assert.Equal("12,000+", Fmt.Total([2_000, 10_001], 10_000));
}
