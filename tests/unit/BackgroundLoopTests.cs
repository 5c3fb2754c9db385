using Jobs.Diagnostics;
using Jobs.Execution;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests;

public sealed class BackgroundLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly int[] BackoffMs = [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Start_CalledTwice_Throws()
    {
        using var loop = new BackgroundLoop(_time, _ => Task.FromResult(TimeSpan.FromSeconds(1)), (_, _) => { });
        loop.Start();

        Assert.Throws<InvalidOperationException>(loop.Start);
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_CalledTwice_CompletesBothAndRunsNoMoreIterations()
    {
        var iterations = 0;
        var waiting = Signal<TimeSpan>();
        using var loop = new BackgroundLoop(_time, _ =>
        {
            Interlocked.Increment(ref iterations);
            return Task.FromResult(TimeSpan.FromSeconds(1));
        }, (_, _) => { })
        {
            Waiting = waiting,
        };
        loop.Start();
        await waiting.WaitAsync(Timeout);

        await loop.StopAsync(CancellationToken.None);
        await loop.StopAsync(CancellationToken.None);
        loop.RequestStop();
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(loop.Completion.IsCompletedSuccessfully);
        Assert.Equal(1, Volatile.Read(ref iterations));
    }

    [Fact]
    public async Task Wait_ClockMovedPastItWhileTheIterationRan_NextIterationRunsWithoutWaiting()
    {
        var iterations = 0;
        var waiting = Signal<TimeSpan>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loop = new BackgroundLoop(_time, _ =>
        {
            if (Interlocked.Increment(ref iterations) == 1)
            {
                _time.Advance(TimeSpan.FromMinutes(2)); // The clock moves on while the first iteration runs.
            }
            else
            {
                second.TrySetResult();
            }

            return Task.FromResult(TimeSpan.FromMinutes(1));
        }, (_, _) => { })
        {
            Waiting = waiting,
        };

        loop.Start();
        await second.Task.WaitAsync(Timeout);
        var next = await waiting.WaitAsync(Timeout);

        Assert.Equal(TimeSpan.FromMinutes(1), next); // The second iteration took no time: its wait is whole.
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_BeforeStart_CompletesAndStartRunsNothing()
    {
        var iterations = 0;
        using var loop = new BackgroundLoop(_time, _ => Task.FromResult(TimeSpan.FromTicks(Interlocked.Increment(ref iterations))), (_, _) => { });

        await loop.StopAsync(CancellationToken.None);
        loop.Start();

        Assert.True(loop.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, iterations);
    }

    [Fact]
    public async Task StopAsync_IterationRunning_WaitsUntilItReturns()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loop = new BackgroundLoop(_time, async _ =>
        {
            running.TrySetResult();
            await release.Task; // Ignores its token, as a claim that must hand out its winners does.
            return TimeSpan.FromSeconds(1);
        }, (_, _) => { });
        loop.Start();
        await running.Task.WaitAsync(Timeout);

        var stop = loop.StopAsync(CancellationToken.None);
        Assert.False(stop.IsCompleted);
        Assert.True(loop.IsStopRequested);

        release.SetResult();
        await stop.WaitAsync(Timeout);
        Assert.True(loop.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task StopAsync_TokenCancelledWhileIterationRuns_ThrowsAndLoopEndsLater()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loop = new BackgroundLoop(_time, async _ =>
        {
            running.TrySetResult();
            await release.Task;
            return TimeSpan.FromSeconds(1);
        }, (_, _) => { });
        loop.Start();
        await running.Task.WaitAsync(Timeout);
        using var giveUp = new CancellationTokenSource();
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.StopAsync(giveUp.Token));
        Assert.False(loop.Completion.IsCompleted);

        release.SetResult();
        await loop.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Iteration_FailsRepeatedly_WaitsDoubleFrom200MsTo10SAndReportsEachFailure()
    {
        var failures = new List<(Exception Error, TimeSpan Delay)>();
        var waiting = Signal<TimeSpan>();
        using var loop = new BackgroundLoop(_time, _ => throw new TimeoutException("database away"), (ex, delay) =>
        {
            lock (failures)
            {
                failures.Add((ex, delay));
            }
        })
        {
            Waiting = waiting,
        };
        loop.Start();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var wait = await waiting.WaitAsync(Timeout);
            waits.Add(wait);
            _time.Advance(wait);
        }

        await loop.StopAsync(CancellationToken.None);
        TimeSpan[] expected = [.. BackoffMs.Select(ms => TimeSpan.FromMilliseconds(ms))];
        Assert.Equal(expected, waits);
        lock (failures)
        {
            Assert.Equal(expected, failures.Take(9).Select(f => f.Delay));
            Assert.All(failures, f => Assert.Equal("database away", Assert.IsType<TimeoutException>(f.Error).Message));
        }
    }

    [Fact]
    public async Task Iteration_SucceedsAfterFailures_NextFailureStartsTheBackoffAgain()
    {
        var calls = 0;
        var waiting = Signal<TimeSpan>();
        // Fails twice, succeeds once (asking for 1 min), then fails again.
        using var loop = new BackgroundLoop(_time, _ => Interlocked.Increment(ref calls) == 3
            ? Task.FromResult(TimeSpan.FromMinutes(1))
            : throw new InvalidOperationException("away"), (_, _) => { })
        {
            Waiting = waiting,
        };
        loop.Start();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var wait = await waiting.WaitAsync(Timeout);
            waits.Add(wait);
            _time.Advance(wait);
        }

        await loop.StopAsync(CancellationToken.None);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200)], waits);
    }

    [Fact]
    public async Task Start_FirstWaitAndRetryAfterSet_WaitsThemInsteadOfBackoff()
    {
        var waiting = Signal<TimeSpan>();
        using var loop = new BackgroundLoop(_time, _ => throw new InvalidOperationException("away"), (_, _) => { })
        {
            FirstWait = TimeSpan.FromSeconds(3),
            RetryAfter = _ => TimeSpan.FromSeconds(2),
            Waiting = waiting,
        };
        loop.Start();

        Assert.Equal(TimeSpan.FromSeconds(3), await waiting.WaitAsync(Timeout));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(2), await waiting.WaitAsync(Timeout));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), await waiting.WaitAsync(Timeout));
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Wake_CompletesDuringWait_NextIterationRunsWithoutTheClockMoving()
    {
        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var iterations = Signal<int>();
        var calls = 0;
        using var loop = new BackgroundLoop(_time, _ =>
        {
            // An iteration takes the wake-up, as the fetcher resets its JobSignal: a wake left completed would make every
            // following wait return at once (the loop spun past the signal's buffer under load and this test saw 271).
            if (wake.Task.IsCompleted)
            {
                Volatile.Write(ref wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            iterations.Signal(Interlocked.Increment(ref calls));
            return Task.FromResult(TimeSpan.FromHours(1));
        }, (_, _) => { })
        {
            Wake = () => Volatile.Read(ref wake).Task,
        };
        loop.Start();
        Assert.Equal(1, await iterations.WaitAsync(Timeout));

        Volatile.Read(ref wake).SetResult();

        Assert.Equal(2, await iterations.WaitAsync(Timeout));
        Assert.False(iterations.TryTake(out _)); // Woken once, it ran once.
        await loop.StopAsync(CancellationToken.None);
    }

    private static TestSignal<T> Signal<T>()
    {
        var signal = new TestSignal<T>();
        signal.Init();
        return signal;
    }
}
