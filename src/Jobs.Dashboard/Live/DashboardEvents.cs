namespace Jobs.Dashboard.Live;

/// <summary>The in-process side of the live feed: the feed publishes each batch of new job events here, and pages and hub
/// connections subscribe. Subscribers are called on the feed's thread and must return quickly.</summary>
internal sealed class DashboardEvents
{
    private readonly Lock _lock = new();
    private Action<IReadOnlyList<JobEvent>>[] _subscribers = [];

    /// <summary>The id of the newest event published, 0 before the first.</summary>
    public long LastEventId { get; private set; }

    public IDisposable Subscribe(Action<IReadOnlyList<JobEvent>> subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        return new Subscription(this, subscriber);
    }

    public void Publish(IReadOnlyList<JobEvent> events, Action<Exception> onSubscriberError)
    {
        if (events.Count == 0)
        {
            return;
        }

        LastEventId = Math.Max(LastEventId, events.Max(e => e.Id));
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(events);
            }
#pragma warning disable CA1031 // One broken subscriber must not stop the others or the feed.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                onSubscriberError(ex);
            }
        }
    }

    private void Unsubscribe(Action<IReadOnlyList<JobEvent>> subscriber)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        }
    }

    private sealed class Subscription(DashboardEvents owner, Action<IReadOnlyList<JobEvent>> subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(subscriber);
            }
        }
    }
}
