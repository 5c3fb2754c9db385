using System.Diagnostics.Metrics;

namespace Jobs.Diagnostics;

/// <summary>The engine's Meter, named <c>Jobs</c>: what OpenTelemetry (or dotnet-counters) sees of the pools in this process.</summary>
internal sealed class JobsMetrics : IDisposable
{
    public const string MeterName = "Jobs";

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
        _duration = _meter.CreateHistogram<double>("jobs.duration", "ms", "How long attempts ran.");
    }

    public void Started(string type) => _started.Add(1, new KeyValuePair<string, object?>("job.type", type));
    public void Succeeded(string type, double ms)
    {
        _succeeded.Add(1, new KeyValuePair<string, object?>("job.type", type));
        _duration.Record(ms, new KeyValuePair<string, object?>("job.type", type));
    }

    public void Failed(string type, double ms)
    {
        _failed.Add(1, new KeyValuePair<string, object?>("job.type", type));
        _duration.Record(ms, new KeyValuePair<string, object?>("job.type", type));
    }

    public void Retried(string type) => _retried.Add(1, new KeyValuePair<string, object?>("job.type", type));
    public void Cancelled(string type) => _cancelled.Add(1, new KeyValuePair<string, object?>("job.type", type));
    public void Rescued(long count) => _rescued.Add(count);

    public void Claimed(int count) => _claimed.Add(count);

    public void Transaction() => _transactions.Add(1);

    public void Dispose() => _meter.Dispose();
}
