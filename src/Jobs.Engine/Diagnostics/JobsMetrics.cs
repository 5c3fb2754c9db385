using System.Diagnostics.Metrics;

namespace Jobs.Diagnostics;

/// <summary>The engine's Meter, named <c>Jobs</c>: what OpenTelemetry (or dotnet-counters) sees of the pools in this process.
/// Every instrument is listed, with its unit and tags, in docs/architecture.md ("Telemetry").</summary>
internal sealed class JobsMetrics : IDisposable
{
    public const string MeterName = "Jobs";

    /// <summary>From 5 ms to an hour: jobs run from a few milliseconds (a webhook) to many minutes (a report), so the
    /// default buckets (made for HTTP requests in ms) would put nearly every job in one bucket.</summary>
    internal static readonly double[] DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Meter _meter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _rescued;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _transactions;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _executing;
    private volatile QueueStats? _queues;

    /// <param name="meterFactory">The host's factory; without one (no generic host) the meter is created directly.</param>
    public JobsMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _started = _meter.CreateCounter<long>("jobs.started", "{job}", "Attempts started.");
        _succeeded = _meter.CreateCounter<long>("jobs.succeeded", "{job}", "Attempts that completed successfully.");
        _failed = _meter.CreateCounter<long>("jobs.failed", "{job}", "Jobs that failed for good.");
        _retried = _meter.CreateCounter<long>("jobs.retried", "{job}", "Failed attempts that were scheduled again.");
        _cancelled = _meter.CreateCounter<long>("jobs.cancelled", "{job}", "Jobs cancelled while executing.");
        _rescued = _meter.CreateCounter<long>("jobs.rescued", "{job}", "Jobs re-queued after their pool stopped beating.");
        // Named when a claim could lose races; it cannot now (one statement picks and moves the rows), so every attempt is a claim.
        _claimed = _meter.CreateCounter<long>("jobs.claim.attempted", "{job}", "Jobs this process claimed.");
        _transactions = _meter.CreateCounter<long>("jobs.db.transactions", "{transaction}", "Database transactions the engine committed.");
        _duration = _meter.CreateHistogram("jobs.duration", "s", "How long attempts ran, by how they ended.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _executing = _meter.CreateUpDownCounter<long>("jobs.executing", "{job}", "Attempts executing in this process now.");
        _meter.CreateObservableGauge("jobs.queued", () => ObserveQueues(static q => q.Queued), "{job}",
            "Queued jobs per queue (due or not), as the maintenance leader last read them; only the leader reports.");
        _meter.CreateObservableGauge("jobs.queue.lag", () => ObserveQueues(static q => q.LagSeconds), "s",
            "How long the oldest due job of each queue has waited for a worker, as the maintenance leader last read it; only the leader reports.");
    }

    public void Started(string type) => _started.Add(1, Type(type));

    public void Succeeded(string type) => _succeeded.Add(1, Type(type));

    public void Failed(string type) => _failed.Add(1, Type(type));

    public void Retried(string type) => _retried.Add(1, Type(type));

    public void Cancelled(string type) => _cancelled.Add(1, Type(type));

    public void Rescued(long count) => _rescued.Add(count);

    public void Claimed(int count) => _claimed.Add(count);

    public void Transaction() => _transactions.Add(1);

    /// <summary>An attempt ended in this process: how long it ran, tagged with how it ended (<c>job.outcome</c>).</summary>
    public void Ran(string type, string outcome, TimeSpan elapsed)
        => _duration.Record(elapsed.TotalSeconds, Type(type), new KeyValuePair<string, object?>("job.outcome", outcome));

    /// <summary>+1 when an attempt starts, -1 when it ends, however it ends (see <c>RunningJob.EndExecuting</c>).</summary>
    public void Executing(string type, int delta) => _executing.Add(delta, Type(type));

    /// <summary>The leader's last reading of the queues, or null when this process does not lead (its gauges report nothing).</summary>
    public void SetQueues(QueueStats? queues) => _queues = queues;

    /// <summary>What the queue gauges report now; null when this process does not lead.</summary>
    public QueueStats? Queues => _queues;

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Type(string type) => new("job.type", type);

    // Reads only the cache: an observable callback runs on the exporter's thread and must never wait on the database.
    private IEnumerable<Measurement<T>> ObserveQueues<T>(Func<QueueStat, T> value)
        where T : struct
        => _queues is { } queues
            ? [.. queues.Queues.Select(q => new Measurement<T>(value(q), new KeyValuePair<string, object?>("job.queue", q.Queue)))]
            : [];
}
