using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Infrastructure;

/// <summary>Counts the database transactions one harness commits, as a metrics listener sees them on the <c>jobs.db.transactions</c>
/// counter of the <c>Jobs</c> meter. Tests run in parallel and each harness publishes on a meter of that same name, so only the
/// meter made by this harness's own <see cref="IMeterFactory"/> is heard: build the harness with <c>AddMetrics()</c>.</summary>
internal sealed class TransactionCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public TransactionCounter(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == "Jobs" && instrument.Name == "jobs.db.transactions")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
