using Jobs.Dashboard.Live;

namespace Jobs.Dashboard.Components;

/// <summary>Keeps a page current: reloads it when the live feed brings a relevant job event (at most once per minimum
/// interval), and on a fixed period if given (for ages and heartbeats, which change without events).</summary>
internal sealed class LiveRefresher : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly Func<JobEvent, bool> _relevant;
    private int _dirty;
    private volatile bool _disposed;

    public LiveRefresher(
        DashboardEvents events,
        TimeProvider time,
        Func<Func<Task>, Task> invokeAsync,
        Func<Task> refresh,
        Func<JobEvent, bool>? relevant = null,
        TimeSpan? minInterval = null,
        TimeSpan? every = null)
    {
        _time = time;
        _relevant = relevant ?? (_ => true);
        _subscription = events.Subscribe(OnEvents);
        _ = RunAsync(invokeAsync, refresh, minInterval ?? TimeSpan.FromMilliseconds(250), every, _stop.Token);
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }

    private void OnEvents(IReadOnlyList<JobEvent> batch)
    {
        if (batch.Any(_relevant))
        {
            Volatile.Write(ref _dirty, 1);
        }
    }

    private async Task RunAsync(Func<Func<Task>, Task> invokeAsync, Func<Task> refresh, TimeSpan minInterval, TimeSpan? every, CancellationToken token)
    {
        var last = _time.GetTimestamp();
        try
        {
            using var timer = new PeriodicTimer(Tick, _time);
            while (await timer.WaitForNextTickAsync(token))
            {
                var elapsed = _time.GetElapsedTime(last);
                var due = (Volatile.Read(ref _dirty) == 1 && elapsed >= minInterval) || (every is { } e && elapsed >= e);
                if (!due)
                {
                    continue;
                }

                Volatile.Write(ref _dirty, 0);
                last = _time.GetTimestamp();
                if (_disposed)
                {
                    return;
                }

                await invokeAsync(refresh);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
#pragma warning disable CA1031 // A page refresh that fails once the page or its circuit is gone ends the loop quietly.
        catch (Exception) when (_disposed || token.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // The page or the circuit went away.
        }
    }
}
