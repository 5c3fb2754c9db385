using System.Threading.Channels;

namespace Jobs.Diagnostics;

/// <summary>A point in the engine that a test can wait for (a beat done, a claim made), after River's testsignal: raising
/// it costs one read of a null field unless a test called <see cref="Init"/>, so production pays nothing for it.</summary>
internal sealed class TestSignal<T>
{
    // Old values are dropped rather than blocking the engine or growing without bound when a test stops listening.
    private const int Capacity = 1024;

    private Channel<T>? _values;

    /// <summary>Starts recording; values raised before this are not seen.</summary>
    public void Init() => Volatile.Write(ref _values, Channel.CreateBounded<T>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false }));

    public void Signal(T value) => Volatile.Read(ref _values)?.Writer.TryWrite(value);

    /// <summary>Raises the value <paramref name="value"/> computes, computing it only when a test listens.</summary>
    public void Signal<TState>(Func<TState, T> value, TState state)
    {
        if (Volatile.Read(ref _values) is { } values)
        {
            values.Writer.TryWrite(value(state));
        }
    }

    /// <summary>The oldest value not taken yet, if there is one.</summary>
    public bool TryTake(out T value)
    {
        value = default!;
        return Values.Reader.TryRead(out value!);
    }

    /// <summary>The oldest value not taken yet, waiting for one to be raised; a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<T> WaitAsync(TimeSpan timeout) => WaitAsync(_ => true, timeout);

    /// <summary>Takes values until one matches <paramref name="match"/>, and returns that one.</summary>
    public async Task<T> WaitAsync(Func<T, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await WaitAsync(match, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No {typeof(T).Name} test signal matched within {timeout}.");
        }
    }

    public async Task<T> WaitAsync(Func<T, bool> match, CancellationToken cancellationToken)
    {
        var reader = Values.Reader;
        while (true)
        {
            var value = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (match(value))
            {
                return value;
            }
        }
    }

    private Channel<T> Values => Volatile.Read(ref _values)
        ?? throw new InvalidOperationException("Call Init before the engine raises the signal, or nothing is recorded.");
}
