using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Live;

/// <summary>Counts finished and failed attempts per time bucket over the throughput window, from the live feed, for the chart.</summary>
internal sealed class ThroughputTracker(IOptions<JobsDashboardOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, (int Succeeded, int Failed)> _buckets = [];

    public TimeSpan Window => options.Value.ThroughputWindow;

    public void Add(IEnumerable<JobEvent> events)
    {
        var oldest = Key(time.GetUtcNow() - Window);
        lock (_lock)
        {
            foreach (var e in events)
            {
                var succeeded = e.Kind == JobEventKind.Succeeded;
                var failed = e.Kind is JobEventKind.Failed or JobEventKind.RetryScheduled;
                var key = Key(e.At);
                if ((!succeeded && !failed) || key < oldest)
                {
                    continue;
                }

                var (s, f) = _buckets.GetValueOrDefault(key);
                _buckets[key] = succeeded ? (s + 1, f) : (s, f + 1);
            }

            foreach (var old in _buckets.Keys.Where(k => k < oldest).ToList())
            {
                _buckets.Remove(old);
            }
        }
    }

    /// <summary>Per bucket, oldest first, ending with the last complete one: its start and the rates per second. The current
    /// bucket is left out: it is still filling, and its rate over the whole bucket would read as a drop at "now".</summary>
    public IReadOnlyList<(DateTimeOffset Start, double SucceededPerSecond, double FailedPerSecond)> Snapshot()
    {
        var current = Key(time.GetUtcNow());
        var count = (int)(Window.Ticks / Bucket.Ticks);
        var result = new List<(DateTimeOffset, double, double)>(count);
        lock (_lock)
        {
            for (var key = current - count; key < current; key++)
            {
                var (s, f) = _buckets.GetValueOrDefault(key);
                result.Add((new DateTimeOffset(key * Bucket.Ticks, TimeSpan.Zero), s / Bucket.TotalSeconds, f / Bucket.TotalSeconds));
            }
        }

        return result;
    }

    private static long Key(DateTimeOffset at) => at.UtcTicks / Bucket.Ticks;
}
