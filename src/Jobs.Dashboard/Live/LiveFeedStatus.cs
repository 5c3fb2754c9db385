using Jobs.Dashboard.Components;
using Jobs.Dashboard.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Jobs.Dashboard.Live;

/// <summary>Whether the live feed can read the database, for the top bar's live indicator: pages keep their last data when reads
/// fail, so without this a dashboard whose database is gone would still look live. The feed, its only writer, reports each poll;
/// subscribers hear only changes, on the feed's thread, and must return quickly.</summary>
internal sealed class LiveFeedStatus(TimeProvider time, ILogger<LiveFeedStatus> logger)
{
    private Snapshot _current = new(Reachable: true, FailingSince: null, LastError: null);

    /// <summary>The feed's state and, while it fails, since when and why.</summary>
    public sealed record Snapshot(bool Reachable, DateTimeOffset? FailingSince, string? LastError);

    public event Action<Snapshot>? Changed;

    public Snapshot Current => Volatile.Read(ref _current);

    public void ReportRead()
    {
        if (!Current.Reachable)
        {
            Set(new Snapshot(Reachable: true, FailingSince: null, LastError: null));
        }
    }

    public void ReportFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Current.Reachable)
        {
            // The innermost cause: a retry wrapper's message ("likely due to a transient failure") says nothing of what failed.
            Set(new Snapshot(Reachable: false, time.GetUtcNow(), ReadFailure.Innermost(exception)));
        }
    }

    private void Set(Snapshot next)
    {
        Volatile.Write(ref _current, next);
        foreach (var subscriber in Changed?.GetInvocationList().Cast<Action<Snapshot>>() ?? [])
        {
            try
            {
                subscriber(next);
            }
#pragma warning disable CA1031 // One broken page must not stop the others or the feed.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(logger, ex);
            }
        }
    }
}
