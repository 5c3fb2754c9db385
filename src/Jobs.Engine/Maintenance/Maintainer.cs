using Jobs.Diagnostics;
using Jobs.Execution;
using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Maintenance;

/// <summary>Runs the database's maintenance tasks in one pool only, the leader: the pool holding the <c>maintenance</c>
/// lease (see <see cref="IJobDriver.TryTakeLeaseAsync"/>). Each turn the leader renews the lease for a <c>StaleTimeout</c> and
/// the others ask for it, so a leader that dies is replaced within one lease period, and one that stops cleanly resigns
/// and is replaced at the next turn. Each task has its own interval; a task that fails is logged and runs again at its next
/// turn.</summary>
// The lease is an economy, not the safety: each task is a compare-and-swap on the rows it changes, so two pools that both
// believe they lead for a moment (their clocks disagree on the expiry) still change nothing twice.
internal sealed class Maintainer(
    IJobDriver store,
    Heartbeat heartbeat,
    Rescuer rescuer,
    QueueGauges queues,
    JobSignal signal,
    TimeProvider time,
    ILogger logger,
    string poolId,
    PoolOptions pool,
    DatabaseOutage outage,
    TestSignals signals)
{
    internal const string LeaseName = "maintenance";

    private volatile bool _leading;

    private IEnumerable<(string Name, TimeSpan Interval, Func<DateTime, CancellationToken, Task> Run)> Tasks =>
    [
        ("rescue", pool.HeartbeatInterval, RescueAsync),
        ("queue gauges", pool.HeartbeatInterval, queues.ReadAsync),
    ];

    /// <summary>The loop; the caller starts and stops it. Each turn, one <c>HeartbeatInterval</c> after the last, asks
    /// whether this pool leads and, if so, runs the tasks that are due.</summary>
    public BackgroundLoop CreateLoop()
    {
        var tasks = Tasks.ToList();
        var due = tasks.Select(_ => DateTime.MinValue).ToArray();
        return new BackgroundLoop(time, token => TurnAsync(tasks, due, token), (ex, delay) =>
        {
            queues.Forget(); // Whether this pool still leads is unknown: better no reading than a second leader's.
            if (!outage.Failed("maintainer", ex, delay))
            {
                Log.MaintenanceFailed(logger, ex, "leader election", poolId);
            }
        })
        {
            FirstWait = pool.HeartbeatInterval,
            RetryAfter = _ => pool.HeartbeatInterval, // Asking who leads failed (the database is away): ask again at the next turn.
            Waiting = signals.MaintainerWaiting,
            Succeeded = outage.Answered,
        };
    }

    private async Task<TimeSpan> TurnAsync(
        List<(string Name, TimeSpan Interval, Func<DateTime, CancellationToken, Task> Run)> tasks, DateTime[] due, CancellationToken token)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!await LeadsAsync(now, token).ConfigureAwait(false))
        {
            return pool.HeartbeatInterval;
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            if (now < due[i])
            {
                continue;
            }

            due[i] = now + tasks[i].Interval;
            await RunTaskAsync(tasks[i].Name, tasks[i].Run, now, token).ConfigureAwait(false);
        }

        return pool.HeartbeatInterval;
    }

    private async Task<bool> LeadsAsync(DateTime now, CancellationToken token)
    {
        var leads = await store.TryTakeLeaseAsync(LeaseName, poolId, now, pool.StaleTimeout, token).ConfigureAwait(false);
        if (leads && !_leading)
        {
            Log.LeaderElected(logger, poolId);
        }

        if (!leads)
        {
            queues.Forget();
        }

        _leading = leads;
        signals.LeaderChecked.Signal(leads);
        return leads;
    }

    /// <summary>Gives the lease up if this pool holds it; call once its loop has stopped. A failure is logged: the lease
    /// then expires on its own.</summary>
    public async Task ResignAsync(CancellationToken token)
    {
        queues.Forget();
        if (!_leading)
        {
            return;
        }

        _leading = false;
        try
        {
            await store.ResignLeaseAsync(LeaseName, poolId, time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Stopping goes on: the lease expires by itself within StaleTimeout.
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.MaintenanceFailed(logger, ex, "resign", poolId);
        }
    }

    private async Task RunTaskAsync(string name, Func<DateTime, CancellationToken, Task> run, DateTime now, CancellationToken token)
    {
        try
        {
            await run(now, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One task failing must not stop the others.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!outage.Failed("maintenance task " + name, ex, pool.HeartbeatInterval))
            {
                Log.MaintenanceFailed(logger, ex, name, poolId);
            }
        }
    }

    private async Task RescueAsync(DateTime now, CancellationToken token)
    {
        // Right after this pool (re)gained the database, other live pools may not have beaten yet either: judge them only
        // once they have had a full StaleTimeout to do so, or a database outage would look like every pool dying.
        if (!heartbeat.ConnectedFor(now, pool.StaleTimeout))
        {
            return;
        }

        if (await rescuer.RescueAsync(poolId, now, pool.StaleTimeout, token).ConfigureAwait(false) > 0)
        {
            signal.Notify(now);
        }
    }
}
