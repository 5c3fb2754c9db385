using Jobs.Diagnostics;
using Jobs.Scheduling;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>The pool's one claiming loop: when workers are free it claims up to that many ready jobs in one statement and
/// hands them out; idle, it sleeps until a wake-up (a job scheduled here, a database notification) or the poll.</summary>
internal sealed class Fetcher(
    IJobDriver store,
    StorageInitializer initializer,
    Heartbeat heartbeat,
    WorkerSlots slots,
    JobSignal signal,
    JobsMetrics metrics,
    TimeProvider time,
    ILogger logger,
    string poolId,
    IReadOnlyCollection<string> queues,
    IReadOnlyCollection<string> types,
    TimeSpan minWait,
    DatabaseOutage outage,
    TestSignals signals)
{
    /// <summary>The loop; the caller starts and stops it.</summary>
    public BackgroundLoop CreateLoop()
        => new BackgroundLoop(time, ClaimAsync, (ex, delay) =>
        {
            if (!outage.Failed("fetcher", ex, delay))
            {
                Log.ClaimFailed(logger, ex, poolId, delay);
            }
        })
        {
            Wake = () => signal.Current,
            Succeeded = outage.Answered,
            Waiting = signals.FetcherWaiting,
        };

    /// <returns>How long to sleep before the next claim, unless woken.</returns>
    private async Task<TimeSpan> ClaimAsync(CancellationToken token)
    {
        var free = await slots.TakeFreeAsync(token).ConfigureAwait(false);
        var handedOut = 0;
        try
        {
            await initializer.EnsureInitializedAsync(token).ConfigureAwait(false);
            // A job executing under a pool that has no row is an orphan to every other pool's rescuer: it would run
            // twice. So a pool that started while the database was away claims only once its row exists.
            await heartbeat.EnsureAnnouncedAsync(token).ConfigureAwait(false);
            signal.Reset();
            var now = time.GetUtcNow().UtcDateTime;
            List<JobRecord> claimed;
            var ticket = slots.Claims.Begin();
            try
            {
                // A claim is never abandoned half-way: once sent, its winners must reach the workers.
                claimed = await store.ClaimReadyAsync(new ClaimRequest(queues, types, free, poolId), now, token).ConfigureAwait(false);
                slots.HandOut(claimed);
            }
            finally
            {
                slots.Claims.End(ticket);
            }

            metrics.Claimed(claimed.Count);
            handedOut = claimed.Count;
            signals.Claimed.Signal(claimed.Count);
            if (claimed.Count == free)
            {
                return TimeSpan.Zero; // More may be ready right now: claim again.
            }

            return signal.NextWait(time.GetUtcNow().UtcDateTime, minWait);
        }
        finally
        {
            // Slots no job was handed to are free again, whether the claim won fewer than asked or failed.
            slots.Release(free - handedOut);
        }
    }
}
