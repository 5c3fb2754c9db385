using Jobs.Diagnostics;
using Jobs.Scheduling;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>The pool's beat: keeps its row alive, passes cancel requests and lost ownership to the handlers, releases
/// claims whose reply was lost, and fences the pool's own jobs when the database is gone too long.</summary>
internal sealed class Heartbeat(
    IJobDriver store,
    StorageInitializer initializer,
    RunningJobs running,
    WorkerSlots slots,
    JobSignal signal,
    TimeProvider time,
    ILogger logger,
    PoolRecord record,
    PoolOptions pool,
    DatabaseOutage outage,
    TestSignals signals) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _announced;
    private long _lastBeatTicks; // 0 before the first good beat.
    private long _lastBeatTimestamp = time.GetTimestamp(); // Of the last good beat, or of the start before one: the health check's age.
    private long _connectedSinceTicks; // 0 while the last beat failed; read by the maintainer's loop too.
    private bool _fenced;

    private string PoolId => record.Id;

    /// <summary>When the last beat that reached the database started; null before the first.</summary>
    public DateTime? LastBeat => Interlocked.Read(ref _lastBeatTicks) is var ticks and > 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;

    /// <summary>How long ago the last good beat started (since the start before the first one), on the monotonic clock:
    /// a frozen or jumping wall clock must not make a stalled pool look alive.</summary>
    public TimeSpan SinceLastBeat => time.GetElapsedTime(Interlocked.Read(ref _lastBeatTimestamp));

    /// <summary>How long after its last good beat a pool cut off from the database cancels its jobs: two heartbeats before
    /// others may rescue them, since it only notices at its next (failing) beat.</summary>
    private TimeSpan FenceAfter => pool.StaleTimeout - 2 * pool.HeartbeatInterval;

    /// <summary>Inserts the pool's row (or beats, if it exists) unless that has been done; the fetcher claims only after.</summary>
    public async Task EnsureAnnouncedAsync(CancellationToken token)
    {
        if (!_announced)
        {
            await AnnounceAsync(time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
        }
    }

    /// <summary>The first beat, at start-up.</summary>
    public async Task AnnounceAtStartAsync(CancellationToken token)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var started = time.GetTimestamp();
        await AnnounceAsync(now, token).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastBeatTimestamp, started);
        Interlocked.Exchange(ref _lastBeatTicks, now.Ticks);
        Interlocked.Exchange(ref _connectedSinceTicks, now.Ticks);
    }

    /// <summary>True once this pool has reached the database without a failed beat for <paramref name="period"/>: right after
    /// it (re)gained the database, other live pools may not have beaten yet either, and must not be judged dead.</summary>
    public bool ConnectedFor(DateTime now, TimeSpan period)
        => Interlocked.Read(ref _connectedSinceTicks) is var since and > 0 && now.Ticks - since >= period.Ticks;

    /// <summary>The beating loop; the caller starts and stops it. It beats at once, then every <c>HeartbeatInterval</c>,
    /// failed or not: a beat is not retried sooner, the next one is the retry.</summary>
    public BackgroundLoop CreateLoop() => new(time, BeatOnceAsync, (ex, delay) =>
    {
        if (!outage.Failed("heartbeat", ex, delay))
        {
            Log.HeartbeatFailed(logger, ex, PoolId);
        }

        Interlocked.Exchange(ref _connectedSinceTicks, 0);
        FenceIfStale();
    })
    {
        RetryAfter = _ => pool.HeartbeatInterval,
        Waiting = signals.HeartbeatWaiting,
        Succeeded = outage.Answered,
    };

    private async Task<TimeSpan> BeatOnceAsync(CancellationToken token)
    {
        // A beat stuck on a dead connection must not outlive the moment this pool has to fence itself.
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(token);
        beat.CancelAfter(pool.HeartbeatInterval > FenceAfter ? pool.HeartbeatInterval : FenceAfter);
        await BeatAsync(beat.Token).ConfigureAwait(false);
        return pool.HeartbeatInterval;
    }

    private async Task BeatAsync(CancellationToken token)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var started = time.GetTimestamp();
        await initializer.EnsureInitializedAsync(token).ConfigureAwait(false);
        await AnnounceAsync(now, token).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastBeatTicks, now.Ticks);
        Interlocked.Exchange(ref _lastBeatTimestamp, started);
        Interlocked.CompareExchange(ref _connectedSinceTicks, now.Ticks, 0);
        _fenced = false;

        var mine = running.OfPool(PoolId);
        var (lost, cancel) = await store.CheckOwnershipAsync(PoolId, [.. mine.Select(j => j.Record.Id)], token).ConfigureAwait(false);
        foreach (var job in mine)
        {
            if (lost.Contains(job.Record.Id))
            {
                job.Cancel(CancelReason.Lost);
            }
            else if (cancel.Contains(job.Record.Id))
            {
                job.Cancel(CancelReason.Operator);
            }
        }

        await ReleaseStraysAsync(now, token).ConfigureAwait(false);
        signals.Beat.Signal(now);
    }

    /// <summary>Jobs the database says this pool executes but no worker here has: their claim committed but its reply was
    /// lost (the connection broke at the commit). Nobody would ever finish or rescue them, so release them.</summary>
    private async Task ReleaseStraysAsync(DateTime now, CancellationToken token)
    {
        var executing = await store.FindExecutingAsync(PoolId, token).ConfigureAwait(false);
        if (!slots.Claims.AllEndedThrough(slots.Claims.Watermark()))
        {
            return; // A claim that may have committed before the read has not handed out its winners yet: look at the next beat.
        }

        var strays = executing.Where(j => !slots.IsUnsettled(j.Id)).ToList();
        if (strays.Count == 0)
        {
            return;
        }

        var won = await store.ApplyAsync([.. strays.Select(j => Transitions.For(new JobOutcome(j, j.Version, PoolId, OutcomeKind.Released, now,
            Message: $"Claimed by pool {PoolId}, but the reply to the claim was lost before a worker got it; released to the queue")))], now, token).ConfigureAwait(false);
        var released = won.Count(w => w);
        if (released > 0)
        {
            Log.StraysReleased(logger, PoolId, released);
            signal.Notify(now);
        }
    }

    /// <summary>Beats, inserting the pool's row when it is missing. The fetcher and the heartbeat both may announce the pool,
    /// so they take turns: two inserts of one row would fail one of them.</summary>
    private async Task AnnounceAsync(DateTime now, CancellationToken token)
    {
        await _gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await store.HeartbeatAsync(record, now, token).ConfigureAwait(false);
            _announced = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Once this pool has not reached the database for <see cref="FenceAfter"/>, other pools may soon judge it dead
    /// and rescue its jobs. Cancel them here first, so that handlers honouring their token stop before the rescued attempt
    /// starts elsewhere; their outcome queues them again once the database answers.</summary>
    private void FenceIfStale()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lastBeat = LastBeat ?? record.StartedAt;
        if (_fenced || now - lastBeat < FenceAfter)
        {
            return;
        }

        _fenced = true;
        var jobs = running.OfPool(PoolId);
        if (jobs.Count > 0)
        {
            // With nothing to cancel it would only repeat, mid-outage, what the outage's own lines already say.
            Log.PoolFenced(logger, PoolId, lastBeat, jobs.Count);
        }

        foreach (var job in jobs)
        {
            job.Cancel(CancelReason.Fenced);
        }
    }

    public void Dispose() => _gate.Dispose();
}
