using Jobs.Diagnostics;
using Jobs.Storage;

namespace Jobs.Maintenance;

/// <summary>The leader's task behind the <c>jobs.queued</c> and <c>jobs.queue.lag</c> gauges: one grouped read of the queued
/// rows per turn, cached in <see cref="JobsMetrics"/> so that an exporter's collection never waits on the database. Only the
/// leader reads, so a database with fifty pools is read once per turn, and only the leader reports, so no series is counted
/// twice when the pools' metrics are summed.</summary>
internal sealed class QueueGauges(IJobDriver store, JobsMetrics metrics, TestSignals signals)
{
    // Queues read since this pool began to lead: one that drained reports 0 instead of vanishing from the gauges.
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public async Task ReadAsync(DateTime now, CancellationToken cancellationToken)
    {
        List<QueueReading> readings;
        try
        {
            readings = await store.ReadQueuesAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget(); // A reading that cannot be renewed is not reported as if it were current.
            throw;
        }

        var byQueue = readings.ToDictionary(r => r.Queue, StringComparer.Ordinal);
        _seen.UnionWith(byQueue.Keys);
        var stats = _seen.Order(StringComparer.Ordinal).Select(q => byQueue.TryGetValue(q, out var r)
            ? new QueueStat(q, r.Queued, r.OldestDue is { } due ? Math.Max(0, (now - due).TotalSeconds) : 0)
            : new QueueStat(q, 0, 0)).ToList();
        metrics.SetQueues(new QueueStats(stats, now));
        signals.QueuesRead.Signal(stats.Count);
    }

    /// <summary>This pool no longer leads (or cannot tell): its gauges report nothing until it reads again as the leader.</summary>
    public void Forget()
    {
        _seen.Clear();
        metrics.SetQueues(null);
    }
}
