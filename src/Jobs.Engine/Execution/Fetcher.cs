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
    TimeSpan minWait)
{
    public async Task RunAsync(CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            int free;
            try
            {
                free = await slots.TakeFreeAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var handedOut = 0;
            try
            {
                await initializer.EnsureInitializedAsync(token).ConfigureAwait(false);
                // A job executing under a pool that has no row is an orphan to every other pool's rescuer: it would run
                // twice. So a pool that started while the database was away claims only once its row exists.
                await heartbeat.EnsureAnnouncedAsync(token).ConfigureAwait(false);
                signal.Reset();
                var now = time.GetUtcNow().UtcDateTime;
                int attempted;
                List<JobRecord> claimed;
                var ticket = slots.Claims.Begin();
                try
                {
                    // A claim is never abandoned half-way: once sent, its winners must reach the workers.
                    (attempted, claimed) = await store.ClaimReadyAsync(new ClaimRequest(queues, types, free, poolId), now, token).ConfigureAwait(false);
                    slots.HandOut(claimed);
                }
                finally
                {
                    slots.Claims.End(ticket);
                }

                metrics.Claimed(attempted, claimed.Count);
                var conflicted = claimed.Count < attempted;
                handedOut = claimed.Count;
                failures = 0;
                slots.Release(free - handedOut);
                handedOut = free;
                if (claimed.Count == free || conflicted)
                {
                    continue; // More may be ready right now.
                }

                await IdleAsync(signal.NextWait(time.GetUtcNow().UtcDateTime, minWait), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                slots.Release(free - handedOut);
                return;
            }
#pragma warning disable CA1031 // Any database failure: back off and try again; the pool must survive outages.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                slots.Release(free - handedOut);
                failures++;
                var delay = Backoff.For(failures);
                Log.DatabaseUnavailable(logger, ex, poolId, delay);
                try
                {
                    await Task.Delay(delay, time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task IdleAsync(TimeSpan wait, CancellationToken token)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var delay = Task.Delay(wait, time, cts.Token);
        await Task.WhenAny(delay, signal.Current).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
    }
}
