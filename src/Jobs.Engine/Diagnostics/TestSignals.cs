namespace Jobs.Diagnostics;

/// <summary>The named points of one service provider's engine that tests wait on instead of polling (see <see cref="TestSignal{T}"/>).
/// None records anything until a test initialises it.</summary>
internal sealed class TestSignals
{
    /// <summary>The pool started (its id).</summary>
    public TestSignal<string> PoolStarted { get; } = new();

    /// <summary>The pool stopped (its id).</summary>
    public TestSignal<string> PoolStopped { get; } = new();

    /// <summary>A beat reached the database (the time it was stamped with).</summary>
    public TestSignal<DateTime> Beat { get; } = new();

    /// <summary>The heartbeat armed its wait for the next beat (how long): a fake clock advanced from now on fires it.</summary>
    public TestSignal<TimeSpan> HeartbeatWaiting { get; } = new();

    /// <summary>The fetcher armed its wait before the next claim (how long), after a failure or with nothing to claim.</summary>
    public TestSignal<TimeSpan> FetcherWaiting { get; } = new();

    /// <summary>The fetcher's claim ended (how many jobs it won).</summary>
    public TestSignal<int> Claimed { get; } = new();

    /// <summary>The completer stored outcomes (how many, in one transaction).</summary>
    public TestSignal<int> Stored { get; } = new();

    /// <summary>The maintainer asked whether this pool leads (the answer).</summary>
    public TestSignal<bool> LeaderChecked { get; } = new();

    /// <summary>The maintainer armed its wait for the next turn (how long).</summary>
    public TestSignal<TimeSpan> MaintainerWaiting { get; } = new();

    /// <summary>The rescuer ran (how many dead pools' jobs it changed: queued again or failed).</summary>
    public TestSignal<int> Rescued { get; } = new();

    /// <summary>The leader read the queues for the gauges (how many queues it reports).</summary>
    public TestSignal<int> QueuesRead { get; } = new();

    public void InitAll()
    {
        PoolStarted.Init();
        PoolStopped.Init();
        Beat.Init();
        HeartbeatWaiting.Init();
        FetcherWaiting.Init();
        Claimed.Init();
        Stored.Init();
        LeaderChecked.Init();
        MaintainerWaiting.Init();
        Rescued.Init();
        QueuesRead.Init();
    }
}
