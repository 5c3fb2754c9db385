using System.Diagnostics.Metrics;

namespace Jobs.Benchmarks;

/// <summary>Listens to the engine's <c>Jobs</c> meter in this process.</summary>
internal sealed class EngineCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _claims;
    private long _transactions;
    private long _succeeded;
    private readonly System.Diagnostics.Stopwatch _sinceStart = new();
    private long _firstSucceededTicks = -1;

    /// <summary>Starts the clock the first success is timed from.</summary>
    public void Started() => _sinceStart.Start();

    public EngineCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Jobs")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "jobs.claim.attempted": Interlocked.Add(ref _claims, value); break;
                case "jobs.db.transactions": Interlocked.Add(ref _transactions, value); break;
                case "jobs.succeeded":
                    Interlocked.CompareExchange(ref _firstSucceededTicks, _sinceStart.ElapsedTicks, -1);
                    Interlocked.Add(ref _succeeded, value);
                    break;
            }
        });
        _listener.Start();
    }

    public WorkerStats Snapshot() => new(
        Interlocked.Read(ref _claims), Interlocked.Read(ref _transactions), Interlocked.Read(ref _succeeded),
        _firstSucceededTicks < 0 ? null : _firstSucceededTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency);

    public void Dispose() => _listener.Dispose();
}
