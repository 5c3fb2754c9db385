using Jobs.Diagnostics;

namespace Jobs.Execution;

/// <summary>The one way the engine runs something again and again: an iteration, then a wait it asked for (through the
/// <see cref="TimeProvider"/>, so a fake clock drives it in tests); after a failure the failure callback and a wait from
/// <see cref="RetryAfter"/> (<see cref="Backoff"/> unless told otherwise). Stopping cancels the iteration's token and the
/// wait, and completes once the iteration in progress has returned.</summary>
internal sealed class BackgroundLoop(
    TimeProvider time,
    Func<CancellationToken, Task<TimeSpan>> iterate,
    Action<Exception, TimeSpan> failed) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lifecycle = new();
    private bool _started;

    /// <summary>The wait before the first iteration. Default: none.</summary>
    public TimeSpan FirstWait { get; init; }

    /// <summary>The wait after the given number of consecutive failures. Default: <see cref="Backoff.For(int)"/>.</summary>
    public Func<int, TimeSpan> RetryAfter { get; init; } = Backoff.For;

    /// <summary>Ends a wait early when the task it returns completes (the fetcher's wake-up); read at each wait.</summary>
    public Func<Task>? Wake { get; init; }

    /// <summary>Called after each iteration that returned (it reached the database): how a loop ends an outage it reported.</summary>
    public Action? Succeeded { get; init; }

    /// <summary>Raised once a wait's timer is armed, so that a test advancing a fake clock after it fires that wait.</summary>
    public TestSignal<TimeSpan> Waiting { get; init; } = new();

    /// <summary>Completes when the loop has ended; it never faults over an iteration's exception.</summary>
    public Task Completion => _completed.Task;

    public bool IsStopRequested => _stop.IsCancellationRequested;

    public void Start()
    {
        lock (_lifecycle)
        {
            if (_started)
            {
                throw new InvalidOperationException("A loop runs once; create a new one to run again.");
            }

            _started = true;
            if (_stop.IsCancellationRequested)
            {
                _completed.TrySetResult(); // Stopped before it started: nothing to run.
                return;
            }
        }

        _ = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Asks the loop to stop and returns at once; calling it again does nothing.</summary>
    public void RequestStop()
    {
        lock (_lifecycle)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }

            if (!_started)
            {
                _completed.TrySetResult();
            }
        }
    }

    /// <summary>Stops the loop and waits until the iteration in progress has returned, or <paramref name="cancellationToken"/> fires.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        RequestStop();
        return Completion.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var failures = 0;
        var wait = FirstWait;
        var from = time.GetTimestamp();
        try
        {
            while (true)
            {
                // A wait counts from when the iteration that asked for it began, so time that passed while it ran (a slow
                // query, or a test's fake clock moved meanwhile) shortens the wait instead of pushing the next iteration past
                // the time it was due.
                await WaitAsync(wait - time.GetElapsedTime(from), token).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                from = time.GetTimestamp();
                try
                {
                    wait = await iterate(token).ConfigureAwait(false);
                    failures = 0;
                    Succeeded?.Invoke();
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Every loop must survive what its iteration throws (a database outage above all).
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures++;
                    wait = RetryAfter(failures);
                    from = time.GetTimestamp(); // A back-off counts from the failure: a connect that timed out is no pause.
                    failed(ex, wait);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken token)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (Wake is null)
        {
            var delay = Task.Delay(wait, time, token);
            Waiting.Signal(wait);
            await delay.ConfigureAwait(false);
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var timer = Task.Delay(wait, time, cts.Token);
        Waiting.Signal(wait);
        await Task.WhenAny(timer, Wake()).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        if (Completion.IsCompleted)
        {
            _stop.Dispose(); // A loop still running may still read its token; the collector takes it then.
        }
    }
}
