using Jobs.Diagnostics;
using Jobs.Execution;
using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Maintenance;

/// <summary>Runs the database's maintenance tasks in one pool only, the leader: the live pool that started first (see
/// <see cref="IJobDriver.FindLeaderAsync"/>). The others only ask, once per interval, whether they lead now. Each task has
/// its own interval; a task that fails is logged and runs again at its next turn.</summary>
// Leadership is an economy, not a lock: each task is a compare-and-swap on the rows it changes, so two pools that both
// believe they lead for a moment (one just went stale) still change nothing twice.
internal sealed class Maintainer(
    IJobDriver store,
    Heartbeat heartbeat,
    Rescuer rescuer,
    JobSignal signal,
    TimeProvider time,
    ILogger logger,
    string poolId,
    PoolOptions pool,
    TestSignals signals)
{
    private bool _leading;

    private IEnumerable<(string Name, TimeSpan Interval, Func<DateTime, CancellationToken, Task> Run)> Tasks =>
    [
        ("rescue", pool.HeartbeatInterval, RescueAsync),
    ];

    /// <summary>The loop; the caller starts and stops it. Each turn, one <c>HeartbeatInterval</c> after the last, asks
    /// whether this pool leads and, if so, runs the tasks that are due.</summary>
    public BackgroundLoop CreateLoop()
    {
        var tasks = Tasks.ToList();
        var due = tasks.Select(_ => DateTime.MinValue).ToArray();
        return new BackgroundLoop(time, token => TurnAsync(tasks, due, token), (ex, _) => Log.MaintenanceFailed(logger, ex, "leader election", poolId))
        {
            FirstWait = pool.HeartbeatInterval,
            RetryAfter = _ => pool.HeartbeatInterval, // Asking who leads failed (the database is away): ask again at the next turn.
            Waiting = signals.MaintainerWaiting,
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
        // Right after this pool (re)gained the database, other live pools may not have beaten yet either: judge them only
        // once they have had a full StaleTimeout to do so, or a database outage would look like every pool dying.
        var leads = heartbeat.ConnectedFor(now, pool.StaleTimeout)
            && await store.FindLeaderAsync(now - pool.StaleTimeout, token).ConfigureAwait(false) == poolId;
        if (leads && !_leading)
        {
            Log.LeaderElected(logger, poolId);
        }

        _leading = leads;
        signals.LeaderChecked.Signal(leads);
        return leads;
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
            Log.MaintenanceFailed(logger, ex, name, poolId);
        }
    }

    private async Task RescueAsync(DateTime now, CancellationToken token)
    {
        if (await rescuer.RescueAsync(poolId, now, pool.StaleTimeout, token).ConfigureAwait(false) > 0)
        {
            signal.Notify(now);
        }
    }
}
