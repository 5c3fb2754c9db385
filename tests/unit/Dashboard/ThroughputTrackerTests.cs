using Jobs.Dashboard;
using Jobs.Dashboard.Live;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Dashboard;

public sealed class ThroughputTrackerTests
{
    // A bucket boundary, so the offsets below say where in a bucket "now" is.
    private static readonly DateTimeOffset BucketStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static JobEvent Succeeded(long id, DateTimeOffset at) => new(id, id, at, JobEventKind.Succeeded, 1, null, null, null);

    [Fact]
    public void Snapshot_MidBucket_EndsWithTheLastCompleteBucketNotTheFillingOne()
    {
        var time = new FakeTimeProvider(BucketStart.AddSeconds(2.5));
        var tracker = new ThroughputTracker(Options.Create(new JobsDashboardOptions { ThroughputWindow = TimeSpan.FromMinutes(1) }), time);
        var previous = BucketStart - ThroughputTracker.Bucket;
        tracker.Add([.. Enumerable.Range(1, 10).Select(i => Succeeded(i, previous.AddMilliseconds(i * 100))), Succeeded(11, BucketStart.AddSeconds(1))]);

        var buckets = tracker.Snapshot();

        Assert.Equal(12, buckets.Count); // 1 minute of 5 s buckets.
        Assert.Equal(previous, buckets[^1].Start);
        Assert.Equal(2.0, buckets[^1].SucceededPerSecond); // 10 in 5 s; the current bucket's one event is not drawn (yet).
        Assert.DoesNotContain(buckets, b => b.Start >= BucketStart);
        Assert.Equal(previous - TimeSpan.FromSeconds(55), buckets[0].Start);
    }

    [Fact]
    public void Snapshot_OnceTheBucketEnds_ShowsIt()
    {
        var time = new FakeTimeProvider(BucketStart.AddSeconds(2.5));
        var tracker = new ThroughputTracker(Options.Create(new JobsDashboardOptions { ThroughputWindow = TimeSpan.FromMinutes(1) }), time);
        tracker.Add([Succeeded(1, BucketStart.AddSeconds(1)), Succeeded(2, BucketStart.AddSeconds(4))]);

        time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(BucketStart, tracker.Snapshot()[^1].Start);
        Assert.Equal(0.4, tracker.Snapshot()[^1].SucceededPerSecond, 6);
    }
}
