using Jobs.Storage.Sql;
using Microsoft.Extensions.Logging;

namespace Jobs.Diagnostics;

/// <summary>What the process says while its database cannot be reached. The first loop to fail says it once, as an Error
/// naming the database and what to check; every failure after that is one stack-free Warning per back-off step of the loop
/// that failed; every failure's exception goes to Debug; the first success after it says the outage is over.</summary>
// Several loops (fetcher, heartbeat, maintainer, listener, completer) meet the same outage at once, each at its own pace: on
// their own they repeat the same 25-line stack dozens of times a minute and bury the one line that names the fix.
internal sealed class DatabaseOutage(StorageProvider provider, TimeProvider time, ILogger<DatabaseOutage> logger)
{
    private readonly Lock _lock = new();
    private volatile bool _down;
    private long _downSince;

    /// <summary>Logs <paramref name="exception"/> of <paramref name="loop"/> if it says the database cannot be reached, and
    /// returns true; returns false, logging nothing, for any other failure (a refused write, a bug), which the caller logs as
    /// its own. <paramref name="retryIn"/> is the loop's next wait; null where it does not retry on its own (the start-up).</summary>
    public bool Failed(string loop, Exception exception, TimeSpan? retryIn)
    {
        if (!provider.IsUnreachable(exception))
        {
            return false;
        }

        Log.UnreachableDetail(logger, exception, loop);
        bool first;
        lock (_lock)
        {
            first = !_down;
            if (first)
            {
                _downSince = time.GetTimestamp();
                _down = true;
            }
        }

        if (first)
        {
            Log.DatabaseUnreachable(logger, provider.DescribeTarget(), FailureCause.Of(exception), provider.ReachHint);
        }
        else if (retryIn is { } delay)
        {
            Log.StillUnreachable(logger, loop, FailureCause.Of(exception), delay);
        }

        return true;
    }

    /// <summary>Called by a loop whose iteration reached the database; ends the outage, if there is one, with one line.</summary>
    public void Answered()
    {
        if (!_down)
        {
            return; // The common case: one volatile read.
        }

        TimeSpan downFor;
        lock (_lock)
        {
            if (!_down)
            {
                return;
            }

            _down = false;
            downFor = time.GetElapsedTime(_downSince);
        }

        Log.DatabaseReachable(logger, provider.DescribeTarget(), downFor);
    }
}
