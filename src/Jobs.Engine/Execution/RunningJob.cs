using Jobs.Diagnostics;
using Jobs.Storage.Model;

namespace Jobs.Execution;

/// <summary>A claimed job inside this process: its row as claimed, the version it holds, and its cancellation.</summary>
internal sealed class RunningJob(JobRecord record, string poolId) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _lock = new();
    private long _version = record.Version;
    private CancelReason _reason;
    private bool _settled;
    private JobsMetrics? _executing; // Set while this attempt counts in jobs.executing.

    public JobRecord Record { get; } = record;
    public string PoolId { get; } = poolId;
    public CancellationToken Token => _cts.Token;

    public long Version
    {
        get => Interlocked.Read(ref _version);
        set => Interlocked.Exchange(ref _version, value);
    }

    public CancelReason Reason
    {
        get
        {
            lock (_lock)
            {
                return _reason;
            }
        }
    }

    /// <summary>Cancels the handler's token; the first reason wins, so a timeout is not reported as a shutdown.</summary>
    public void Cancel(CancelReason reason)
    {
        lock (_lock)
        {
            if (_reason != CancelReason.None)
            {
                return;
            }

            _reason = reason;
        }

        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt already ended.
        }
        catch (AggregateException)
        {
            // A handler's cancellation callback threw; the handler will observe the cancellation anyway.
        }
    }

    /// <summary>Runs <paramref name="post"/> if no outcome was posted for this job yet, and returns whether it ran. A job's
    /// outcome is posted once: by its worker, or by a stop that could not wait for the handler any longer.</summary>
    public bool TrySettle(Action post)
    {
        lock (_lock)
        {
            if (_settled)
            {
                return false;
            }

            post();
            _settled = true;
            EndExecuting();
            return true;
        }
    }

    /// <summary>Counts the attempt in <c>jobs.executing</c> until it ends: its outcome is posted (by its worker, or by a stop
    /// that released it while the handler still ran) or its worker is done with it, whichever comes first.</summary>
    public void BeginExecuting(JobsMetrics metrics)
    {
        metrics.Executing(Record.Type, 1);
        Volatile.Write(ref _executing, metrics);
    }

    /// <summary>Takes the attempt out of <c>jobs.executing</c>, once however many ways it ends.</summary>
    public void EndExecuting() => Interlocked.Exchange(ref _executing, null)?.Executing(Record.Type, -1);

    public void Dispose()
    {
        EndExecuting();
        _cts.Dispose();
    }
}
