using Jobs.Dashboard.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Dashboard;

public sealed class LiveFeedStatusTests
{
    [Fact]
    public void Reports_FailureThenRead_SubscribersHearEachChangeOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var status = new LiveFeedStatus(time, NullLogger<LiveFeedStatus>.Instance);
        var heard = new List<LiveFeedStatus.Snapshot>();
        status.Changed += heard.Add;

        status.ReportRead();
        status.ReportFailure(new InvalidOperationException("database is locked"));
        time.Advance(TimeSpan.FromSeconds(1));
        status.ReportFailure(new InvalidOperationException("still locked"));
        status.ReportRead();
        status.ReportRead();

        Assert.Equal(2, heard.Count);
        Assert.False(heard[0].Reachable);
        Assert.Equal("database is locked", heard[0].LastError);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), heard[0].FailingSince); // Since the first failure.
        Assert.True(heard[1].Reachable);
        Assert.True(status.Current.Reachable);
    }

    [Fact]
    public void ReportFailure_SubscriberThrows_OthersStillHearIt()
    {
        var status = new LiveFeedStatus(TimeProvider.System, NullLogger<LiveFeedStatus>.Instance);
        var heard = 0;
        status.Changed += _ => throw new InvalidOperationException("a page went away");
        status.Changed += _ => heard++;

        status.ReportFailure(new TimeoutException("timed out"));

        Assert.Equal(1, heard);
        Assert.False(status.Current.Reachable);
    }
}
