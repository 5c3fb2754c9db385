using Jobs.Diagnostics;

namespace Jobs.Tests;

public sealed class TestSignalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Signal_BeforeInit_RecordsNothing()
    {
        var signal = new TestSignal<int>();
        signal.Signal(1);
        signal.Init();

        Assert.False(signal.TryTake(out _));
    }

    [Fact]
    public void Signal_ComputedValue_ComputedOnlyOnceATestListens()
    {
        var signal = new TestSignal<int>();
        var computed = 0;

        signal.Signal(n => ++computed + n, 10);
        signal.Init();
        signal.Signal(n => ++computed + n, 10);

        Assert.Equal(1, computed);
        Assert.True(signal.TryTake(out var value));
        Assert.Equal(11, value);
    }

    [Fact]
    public void TryTake_NotInitialised_Throws()
    {
        var signal = new TestSignal<int>();

        Assert.Throws<InvalidOperationException>(() => signal.TryTake(out _));
    }

    [Fact]
    public async Task WaitAsync_ValuesRaised_ReturnsThemInOrder()
    {
        var signal = new TestSignal<int>();
        signal.Init();
        signal.Signal(1);
        signal.Signal(2);

        Assert.Equal(1, await signal.WaitAsync(Timeout));
        Assert.Equal(2, await signal.WaitAsync(Timeout));
    }

    [Fact]
    public async Task WaitAsync_RaisedLater_CompletesWhenRaised()
    {
        var signal = new TestSignal<string>();
        signal.Init();
        var waiting = signal.WaitAsync(Timeout);
        Assert.False(waiting.IsCompleted);

        signal.Signal("beat");

        Assert.Equal("beat", await waiting);
    }

    [Fact]
    public async Task WaitAsync_WithMatch_SkipsValuesThatDoNotMatch()
    {
        var signal = new TestSignal<int>();
        signal.Init();
        signal.Signal(0);
        signal.Signal(0);
        signal.Signal(3);
        signal.Signal(4);

        Assert.Equal(3, await signal.WaitAsync(n => n > 0, Timeout));
        Assert.True(signal.TryTake(out var next));
        Assert.Equal(4, next);
    }

    [Fact]
    public async Task WaitAsync_NothingRaised_ThrowsTimeoutException()
    {
        var signal = new TestSignal<int>();
        signal.Init();

        await Assert.ThrowsAsync<TimeoutException>(() => signal.WaitAsync(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task WaitAsync_TokenCancelled_ThrowsOperationCanceled()
    {
        var signal = new TestSignal<int>();
        signal.Init();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(_ => true, cts.Token));
    }
}
