using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobs.Diagnostics;
using Jobs.Maintenance;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Execution;

/// <summary>The pool's moving parts: one fetcher that claims batches, <c>NumWorkers</c> workers fed by a channel, one completer
/// that stores outcomes in batches, and a heartbeat that also cancels and rescues.</summary>
internal sealed class PoolRuntime : IDisposable, IWorkerSlots
{
    /// <summary>How much longer than <c>ShutdownTimeout</c> a stop may take: handlers get <see cref="CancelGrace"/> to honour
    /// their cancelled token, the rest goes to storing outcomes and releases.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private readonly JobStore _store;
    private readonly StorageInitializer _initializer;
    private readonly JobTypeRegistry _registry;
    private readonly JobExecutor _executor;
    private readonly Rescuer _rescuer;
    private readonly RunningJobs _running;
    private readonly JobSignal _signal;
    private readonly JobsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IOptions<JobsOptions> _options;
    private readonly ILogger<PoolRuntime> _logger;
    private readonly Lock _lifecycle = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PoolOptions _pool = null!;
    private PoolRecord _record = null!;
    private string[] _queues = [];
    private string[] _types = [];
    private SemaphoreSlim _slots = null!;
    private Channel<RunningJob> _claimed = null!;
    private Completer _completer = null!;
    private readonly CancellationTokenSource _fetchCts = new();
    private readonly CancellationTokenSource _heartbeatCts = new();
    private readonly CancellationTokenSource _completerAbort = new();
    private readonly CancellationTokenSource _listenerCts = new();

    // Jobs this pool claimed whose outcome is not stored yet: the database rightly says this pool executes them. The value
    // is the version the claim left, so that settling one attempt never forgets the next attempt of the same job, which
    // the completer may claim in the very transaction that stores the first one's outcome.
    private readonly ConcurrentDictionary<long, long> _unsettled = new();
    private Task _fetcher = Task.CompletedTask;
    private Task _listener = Task.CompletedTask;
    private Task[] _workers = [];
    private Task _completion = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private int _state; // 0 new, 1 starting/running, 2 stopping/stopped
    private volatile bool _stopping;

    private readonly ClaimTracker _claims = new();
    private readonly SemaphoreSlim _beatGate = new(1, 1);
    private volatile bool _announced;
    private long _refillTicket;
    private DateTime _startedAt;
    private DateTime? _lastBeat;
    private DateTime? _connectedSince;
    private bool _fenced;

    public PoolRuntime(
        JobStore store,
        StorageInitializer initializer,
        JobTypeRegistry registry,
        JobExecutor executor,
        Rescuer rescuer,
        RunningJobs running,
        JobSignal signal,
        JobsMetrics metrics,
        TimeProvider time,
        IOptions<JobsOptions> options,
        ILogger<PoolRuntime> logger)
    {
        _store = store;
        _initializer = initializer;
        _registry = registry;
        _executor = executor;
        _rescuer = rescuer;
        _running = running;
        _signal = signal;
        _metrics = metrics;
        _time = time;
        _options = options;
        _logger = logger;
        Id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    public string Id { get; }

    public bool IsRunning => Volatile.Read(ref _state) == 1 && !_stopping;

    public int ExecutingCount => _running.OfPool(Id).Count;

    public Task Stopped => _stopped.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (_state != 0)
            {
                throw new InvalidOperationException("A pool can be started once; create a new one to start again.");
            }

            _state = 1;
        }

        try
        {
            await StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A pool that failed to start is stopped: StopAsync and DisposeAsync have nothing to do.
            Volatile.Write(ref _state, 2);
            _stopped.TrySetResult();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value; // Validates, for hosts without ValidateOnStart.
        _pool = options.Pool;
        _types = [.. _registry.Names];
        _queues = _pool.Queues.Count > 0
            ? [.. _pool.Queues.Distinct(StringComparer.Ordinal)]
            : [.. _registry.All.Select(d => d.Options.Queue ?? options.DefaultQueue).Distinct(StringComparer.Ordinal)];
        var now = _time.GetUtcNow().UtcDateTime;
        _startedAt = now;
        _record = new PoolRecord
        {
            Id = Id,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            NumWorkers = _pool.NumWorkers,
            Queues = string.Join(",", _queues),
            StartedAt = now,
            HeartbeatAt = now,
        };

        try
        {
            await _initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(now, cancellationToken).ConfigureAwait(false);
            _lastBeat = now;
            _connectedSince = now;
        }
        catch (Exception ex) when (StorageInitializer.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // A schema mismatch stops the start; a database that is down does not: every loop retries, and the pool
            // announces itself and claims as soon as the database answers.
            Log.PoolStartedWithoutDatabase(_logger, ex, Id);
        }

        _slots = new SemaphoreSlim(_pool.NumWorkers, _pool.NumWorkers);
        // Both the fetcher and the completer (refilling the workers it freed) hand out claimed jobs.
        _claimed = Channel.CreateUnbounded<RunningJob>();
        _completer = new Completer(_store, _signal, _time, _logger, this, job => _unsettled.TryRemove(new KeyValuePair<long, long>(job.Id, job.Version)));
        _completion = Task.Run(() => _completer.RunAsync(_completerAbort.Token), CancellationToken.None);
        // A completer that dies can store no outcome: claiming more would strand every job as executing. Stop claiming and
        // stop beating, so that other pools rescue this pool's jobs after StaleTimeout, as they would after a crash.
        _ = _completion.ContinueWith(
            t =>
            {
                if (_completerAbort.IsCancellationRequested)
                {
                    return; // The stop gave up on it.
                }

                Log.CompleterFailed(_logger, t.Exception!, Id);
                _fetchCts.Cancel();
                _heartbeatCts.Cancel();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _workers = [.. Enumerable.Range(0, _pool.NumWorkers).Select(_ => Task.Run(WorkAsync, CancellationToken.None))];
        _heartbeat = Task.Run(() => HeartbeatLoopAsync(_heartbeatCts.Token), CancellationToken.None);
        if (_types.Length > 0)
        {
            _fetcher = Task.Run(() => FetchLoopAsync(_fetchCts.Token), CancellationToken.None);
            _listener = Task.Run(() => _store.Provider.ListenAsync(
                due => _signal.Notify(due ?? _time.GetUtcNow().UtcDateTime), _time, _logger, _listenerCts.Token), CancellationToken.None);
        }

        Log.PoolStarted(_logger, Id, _pool.NumWorkers, _record.Queues, _store.Provider.Name);
    }

    /// <summary>Stops fetching, lets running jobs finish within the shutdown timeout (or until <paramref name="cancellationToken"/>
    /// fires), then cancels the rest and releases them to the queue. Returns within <c>ShutdownTimeout</c> + <see cref="StopGrace"/>
    /// whatever handlers and the database do. A call while another is stopping the pool waits for that stop to end (so that
    /// a host disposing services after its own stop call cannot pull them from under the first).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        bool alreadyStopping;
        lock (_lifecycle)
        {
            if (_state != 1)
            {
                return;
            }

            alreadyStopping = _stopping;
            _stopping = true;
        }

        if (alreadyStopping)
        {
            // A second caller (the host, then DisposeAsync) returns once the pool has really stopped, so nothing is
            // disposed under a stop still in flight.
            await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // One budget for the whole stop: a handler ignoring its token or a database that stopped answering cannot hold
        // the host's shutdown. What is not stored within it stays executing under this pool and is rescued after StaleTimeout.
        using var budget = new CancellationTokenSource(_pool.ShutdownTimeout + StopGrace, _time);
        using var registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), budget);
        try
        {
            await _fetchCts.CancelAsync().ConfigureAwait(false);
            await _listenerCts.CancelAsync().ConfigureAwait(false);
            var claiming = Task.WhenAll(_fetcher, _listener);
            await WaitAsync(claiming, Timeout.InfiniteTimeSpan, budget.Token).ConfigureAwait(false); // A claim in flight hands out its winners first.
            _claimed.Writer.TryComplete();

            var workers = Task.WhenAll(_workers);
            Log.PoolStopping(_logger, Id, _pool.ShutdownTimeout, ExecutingCount);
            await WaitAsync(workers, _pool.ShutdownTimeout, budget.Token).ConfigureAwait(false);
            if (!workers.IsCompleted)
            {
                await ReleaseRunningAsync(workers, budget.Token).ConfigureAwait(false);
            }

            _completer.Complete();
            await WaitAsync(_completion, Timeout.InfiniteTimeSpan, budget.Token).ConfigureAwait(false);
            if (!_completion.IsCompleted)
            {
                // The database is away or too slow: outcomes not stored yet stay executing under this pool and are rescued.
                await _completerAbort.CancelAsync().ConfigureAwait(false);
                Log.OutcomesAbandoned(_logger, Id);
            }

            await _heartbeatCts.CancelAsync().ConfigureAwait(false);
            await WaitAsync(_heartbeat, Timeout.InfiniteTimeSpan, budget.Token).ConfigureAwait(false);

            if (claiming.IsCompleted && _completion.IsCompletedSuccessfully && !budget.IsCancellationRequested)
            {
                await RemovePoolAsync(budget.Token).ConfigureAwait(false);
            }

            Log.PoolStopped(_logger, Id);
        }
        finally
        {
            Volatile.Write(ref _state, 2);
            _stopped.TrySetResult();
        }
    }

    /// <summary>Cancels the jobs still running, gives their handlers <see cref="CancelGrace"/> to return, and releases the
    /// jobs of those that did not: their attempt is not used, and the release changes the row's version, so whatever such a
    /// handler does later can change nothing.</summary>
    private async Task ReleaseRunningAsync(Task workers, CancellationToken budget)
    {
        var left = _running.OfPool(Id);
        foreach (var job in left)
        {
            job.Cancel(CancelReason.Shutdown);
        }

        Log.JobsReleased(_logger, Id, left.Count);
        await WaitAsync(workers, CancelGrace, budget).ConfigureAwait(false);
        var now = _time.GetUtcNow().UtcDateTime;
        var ignored = 0;
        foreach (var job in _running.OfPool(Id))
        {
            var released = new JobOutcome(job.Record, job.Version, Id, OutcomeKind.Released, now,
                Message: $"Pool {Id} shut down and the handler did not return within {CancelGrace.TotalSeconds:0.#} s of its cancellation; released to the queue");
            if (job.TrySettle(() => _completer.Post(released)))
            {
                ignored++;
            }
        }

        if (ignored > 0)
        {
            Log.HandlersIgnoredCancellation(_logger, Id, ignored, CancelGrace);
        }
    }

    private async Task RemovePoolAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.RemovePoolAsync(Id, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Saying goodbye is a courtesy: a pool row left behind is removed once it is stale.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HeartbeatFailed(_logger, ex, Id);
        }
    }

    /// <summary>Stops every loop without releasing anything or saying goodbye, as a killed process would. For tests.</summary>
    public async Task AbandonAsync()
    {
        _stopping = true;
        _completer.Discard();
        await _fetchCts.CancelAsync().ConfigureAwait(false);
        await _listenerCts.CancelAsync().ConfigureAwait(false);
        await _heartbeatCts.CancelAsync().ConfigureAwait(false);
        foreach (var job in _running.OfPool(Id))
        {
            job.Cancel(CancelReason.Lost);
        }

        _claimed.Writer.TryComplete();
        await Task.WhenAll([_fetcher, _listener, _heartbeat, .. _workers]).ConfigureAwait(false);
        Volatile.Write(ref _state, 2);
        _stopped.TrySetResult();
    }

    private async Task FetchLoopAsync(CancellationToken token)
    {
        var conflicted = false;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var free = 1;
            while (free < _pool.BatchSize && _slots.Wait(0, CancellationToken.None))
            {
                free++;
            }

            var handedOut = 0;
            try
            {
                await _initializer.EnsureInitializedAsync(token).ConfigureAwait(false);
                if (!_announced)
                {
                    // A job executing under a pool that has no row is an orphan to every other pool's rescuer: it would
                    // run twice. So a pool that started while the database was away claims only once its row exists.
                    await AnnounceAsync(_time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
                }

                _signal.Reset();
                var now = _time.GetUtcNow().UtcDateTime;
                int attempted;
                List<JobRecord> claimed;
                var ticket = _claims.Begin();
                try
                {
                    // A claim is never abandoned half-way: once sent, its winners must reach the workers.
                    (attempted, claimed) = await _store.ClaimReadyAsync(_queues, _types, now, free, Id, token).ConfigureAwait(false);
                    HandOut(claimed);
                }
                finally
                {
                    _claims.End(ticket);
                }

                _metrics.Claimed(attempted, claimed.Count);
                conflicted = claimed.Count < attempted;
                handedOut = claimed.Count;
                failures = 0;
                if (free > handedOut)
                {
                    _slots.Release(free - handedOut);
                }

                handedOut = free;
                if (claimed.Count == free || conflicted)
                {
                    continue; // More may be ready right now.
                }

                await IdleAsync(_signal.NextWait(_time.GetUtcNow().UtcDateTime, _pool.MinWait), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                if (free > handedOut)
                {
                    _slots.Release(free - handedOut);
                }

                return;
            }
#pragma warning disable CA1031 // Any database failure: back off and try again; the pool must survive outages.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (free > handedOut)
                {
                    _slots.Release(free - handedOut);
                }

                failures++;
                var delay = Backoff.For(failures);
                Log.DatabaseUnavailable(_logger, ex, Id, delay);
                try
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Gives claimed jobs to the workers; returns those no worker will take any more (the pool stopped meanwhile).</summary>
    private List<JobRecord> HandOut(IReadOnlyList<JobRecord> claimed)
    {
        var rejected = new List<JobRecord>();
        foreach (var record in claimed)
        {
            _unsettled[record.Id] = record.Version;
            var job = new RunningJob(record, Id);
            _running.Add(job);
            if (!_claimed.Writer.TryWrite(job))
            {
                _running.Remove(job);
                job.Dispose();
                rejected.Add(record);
            }
        }

        return rejected;
    }

    ClaimRequest? IWorkerSlots.RefillRequest(int freed)
        => _stopping || _types.Length == 0 || _fetchCts.IsCancellationRequested
            ? null
            : new ClaimRequest(_queues, _types, Math.Min(freed, _pool.BatchSize), Id);

    // The completer sends one claim at a time, so one field holds its ticket.
    void IWorkerSlots.Claiming() => Volatile.Write(ref _refillTicket, _claims.Begin());

    IReadOnlyList<JobRecord> IWorkerSlots.Claimed(int freed, int attempted, IReadOnlyList<JobRecord>? claimed)
    {
        try
        {
            if (claimed is null)
            {
                return [];
            }

            _metrics.Claimed(attempted, claimed.Count);
            if (freed > claimed.Count)
            {
                _slots.Release(freed - claimed.Count);
            }

            return HandOut(claimed);
        }
        finally
        {
            _claims.End(Volatile.Read(ref _refillTicket));
        }
    }

    void IWorkerSlots.Release(int count)
    {
        if (count > 0)
        {
            _slots.Release(count);
        }
    }

    private async Task IdleAsync(TimeSpan wait, CancellationToken token)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var delay = Task.Delay(wait, _time, cts.Token);
        await Task.WhenAny(delay, _signal.Current).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _claimed.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var posted = false;
            try
            {
                var outcome = await RunAsync(job).ConfigureAwait(false);
                if (job.TrySettle(() => _completer.Post(outcome)))
                {
                    posted = true; // The completer now holds this worker's slot.
                }
                else
                {
                    // The stop released the job (and took its slot) while the handler was still running.
                    posted = true;
                    Log.LateOutcomeDropped(_logger, job.Record.Id, job.Record.Type, outcome.Kind.ToString());
                }
            }
#pragma warning disable CA1031 // A worker outlives anything: a job it cannot account for is rescued with this pool's jobs.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ExecutionFault(_logger, job.Record.Id, job.Record.Type, job.Record.Attempt, ex.GetType().FullName ?? "exception");
            }
            finally
            {
                _running.Remove(job);
                job.Dispose();
                if (!posted)
                {
                    _slots.Release();
                }
            }
        }
    }

    /// <summary>The attempt's outcome, whatever the executor or the handler throws.</summary>
    private async Task<JobOutcome> RunAsync(RunningJob job)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_stopping)
        {
            return new JobOutcome(job.Record, job.Version, Id, OutcomeKind.Released, now);
        }

        try
        {
            return await _executor.RunAsync(job).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The executor never throws by design; if it does, the attempt still ends and the worker lives.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var fault = ex.GetType().FullName ?? "exception";
            Log.ExecutionFault(_logger, job.Record.Id, job.Record.Type, job.Record.Attempt, fault);
            var error = new JobError(fault, $"The engine could not record how attempt {job.Record.Attempt} ended: {fault} was thrown while reading its result", string.Empty);
            return new JobOutcome(job.Record, job.Version, Id, OutcomeKind.Failed, _time.GetUtcNow().UtcDateTime, error);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken token)
    {
        var first = true;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    await Task.Delay(_pool.HeartbeatInterval, _time, token).ConfigureAwait(false);
                }

                first = false;

                // A beat stuck on a dead connection must not outlive the moment this pool has to fence itself.
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(token);
                beat.CancelAfter(Max(_pool.HeartbeatInterval, FenceAfter));
                await BeatAsync(beat.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed beat is logged and retried at the next interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HeartbeatFailed(_logger, ex, Id);
                _connectedSince = null;
                FenceIfStale();
            }
        }
    }

    private async Task BeatAsync(CancellationToken token)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await _initializer.EnsureInitializedAsync(token).ConfigureAwait(false);
        await AnnounceAsync(now, token).ConfigureAwait(false);
        _lastBeat = now;
        _connectedSince ??= now;
        _fenced = false;

        var mine = _running.OfPool(Id);
        var (lost, cancel) = await _store.CheckOwnershipAsync(Id, [.. mine.Select(j => j.Record.Id)], token).ConfigureAwait(false);
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

        // Right after this pool (re)gained the database, other live pools may not have beaten yet either: judge them only
        // once they have had a full StaleTimeout to do so, or a database outage would look like every pool dying.
        if (now - _connectedSince >= _pool.StaleTimeout
            && await _rescuer.RescueAsync(Id, now, _pool.StaleTimeout, token).ConfigureAwait(false) > 0)
        {
            _signal.Notify(now);
        }
    }

    /// <summary>Jobs the database says this pool executes but no worker here has: their claim committed but its reply was
    /// lost (the connection broke at the commit). Nobody would ever finish or rescue them, so release them.</summary>
    private async Task ReleaseStraysAsync(DateTime now, CancellationToken token)
    {
        var executing = await _store.FindExecutingAsync(Id, token).ConfigureAwait(false);
        if (!_claims.AllEndedThrough(_claims.Watermark()))
        {
            return; // A claim that may have committed before the read has not handed out its winners yet: look at the next beat.
        }

        var strays = executing.Where(j => !_unsettled.ContainsKey(j.Id)).ToList();
        if (strays.Count == 0)
        {
            return;
        }

        var won = await _store.ApplyAsync([.. strays.Select(j => Transitions.For(new JobOutcome(j, j.Version, Id, OutcomeKind.Released, now,
            Message: $"Claimed by pool {Id}, but the reply to the claim was lost before a worker got it; released to the queue")))], now, token).ConfigureAwait(false);
        var released = won.Count(w => w);
        if (released > 0)
        {
            Log.StraysReleased(_logger, Id, released);
            _signal.Notify(now);
        }
    }

    /// <summary>Beats, inserting the pool's row when it is missing. The fetcher and the heartbeat both may announce the pool,
    /// so they take turns: two inserts of one row would fail one of them.</summary>
    private async Task AnnounceAsync(DateTime now, CancellationToken token)
    {
        await _beatGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await _store.HeartbeatAsync(_record, now, token).ConfigureAwait(false);
            _announced = true;
        }
        finally
        {
            _beatGate.Release();
        }
    }

    /// <summary>How long after its last good beat a pool cut off from the database cancels its jobs: two heartbeats before
    /// others may rescue them, since it only notices at its next (failing) beat.</summary>
    private TimeSpan FenceAfter => _pool.StaleTimeout - 2 * _pool.HeartbeatInterval;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Once this pool has not reached the database for <see cref="FenceAfter"/>, other pools may soon judge it dead
    /// and rescue its jobs. Cancel them here first, so that handlers honouring their token stop before the rescued attempt
    /// starts elsewhere; their outcome queues them again once the database answers.</summary>
    private void FenceIfStale()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var lastBeat = _lastBeat ?? _startedAt;
        if (_fenced || now - lastBeat < FenceAfter)
        {
            return;
        }

        _fenced = true;
        var running = _running.OfPool(Id);
        Log.PoolFenced(_logger, Id, lastBeat, running.Count);
        foreach (var job in running)
        {
            job.Cancel(CancelReason.Fenced);
        }
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _state) == 1)
        {
            // Still running or stopping (the container is disposed under a stop the host gave up on): the loops may
            // still touch these. They hold no timers or handles, so leaving them to the collector is harmless.
            return;
        }

        _fetchCts.Dispose();
        _heartbeatCts.Dispose();
        _completerAbort.Dispose();
        _listenerCts.Dispose();
        _slots?.Dispose();
        _beatGate.Dispose();
    }

    private async Task WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, cts.Token);
        await Task.WhenAny(task, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
    }
}
