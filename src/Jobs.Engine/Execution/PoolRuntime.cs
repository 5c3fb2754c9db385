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
internal sealed class PoolRuntime : IDisposable
{
    private static readonly TimeSpan HandlerExitWait = TimeSpan.FromSeconds(5);

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
    private readonly Random _random = new();

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
    private Task _fetcher = Task.CompletedTask;
    private Task[] _workers = [];
    private Task _completion = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private int _state; // 0 new, 1 starting/running, 2 stopping/stopped
    private volatile bool _stopping;

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

        var options = _options.Value; // Validates, for hosts without ValidateOnStart.
        _pool = options.Pool;
        await _initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        _types = [.. _registry.Names];
        _queues = _pool.Queues.Count > 0
            ? [.. _pool.Queues.Distinct(StringComparer.Ordinal)]
            : [.. _registry.All.Select(d => d.Options.Queue ?? options.DefaultQueue).Distinct(StringComparer.Ordinal)];
        var now = _time.GetUtcNow().UtcDateTime;
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
        await _store.HeartbeatAsync(_record, now, cancellationToken).ConfigureAwait(false);

        _slots = new SemaphoreSlim(_pool.NumWorkers, _pool.NumWorkers);
        _claimed = Channel.CreateUnbounded<RunningJob>(new UnboundedChannelOptions { SingleWriter = true });
        _completer = new Completer(_store, _signal, _time, _logger);
        _completion = Task.Run(() => _completer.RunAsync(_completerAbort.Token), CancellationToken.None);
        _workers = [.. Enumerable.Range(0, _pool.NumWorkers).Select(_ => Task.Run(WorkAsync, CancellationToken.None))];
        _heartbeat = Task.Run(() => HeartbeatLoopAsync(_heartbeatCts.Token), CancellationToken.None);
        _fetcher = _types.Length == 0 ? Task.CompletedTask : Task.Run(() => FetchLoopAsync(_fetchCts.Token), CancellationToken.None);
        Log.PoolStarted(_logger, Id, _pool.NumWorkers, _record.Queues, _store.Provider.Name);
    }

    /// <summary>Stops fetching, lets running jobs finish within the shutdown timeout (or until <paramref name="cancellationToken"/>
    /// fires), then cancels the rest and releases them to the queue at once. A call while another is stopping the pool waits for
    /// that stop to end (so that a host disposing services after its own stop call cannot pull them from under the first).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        bool first;
        lock (_lifecycle)
        {
            if (_state == 0)
            {
                return;
            }

            first = _state == 1 && !_stopping;
            _stopping = true;
        }

        if (!first)
        {
            await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _fetchCts.CancelAsync().ConfigureAwait(false);
            await _fetcher.ConfigureAwait(false);
            _claimed.Writer.TryComplete();

            var workers = Task.WhenAll(_workers);
            Log.PoolStopping(_logger, Id, _pool.ShutdownTimeout, ExecutingCount);
            await WaitAsync(workers, _pool.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
            if (!workers.IsCompleted)
            {
                var left = _running.OfPool(Id);
                foreach (var job in left)
                {
                    job.Cancel(CancelReason.Shutdown);
                }

                Log.JobsReleased(_logger, Id, left.Count);
                // Handlers that ignore their token are left behind; their jobs are rescued once this pool's heartbeat is stale.
                await WaitAsync(workers, HandlerExitWait, CancellationToken.None).ConfigureAwait(false);
            }

            _completer.Complete();
            try
            {
                await _completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host will not wait longer: outcomes not stored yet stay executing under this pool and are rescued.
                await _completerAbort.CancelAsync().ConfigureAwait(false);
                Log.OutcomesAbandoned(_logger, Id);
            }
            finally
            {
                await _heartbeatCts.CancelAsync().ConfigureAwait(false);
                await _heartbeat.ConfigureAwait(false);
            }

            if (workers.IsCompleted && _completion.IsCompletedSuccessfully)
            {
                await _store.RemovePoolAsync(Id, CancellationToken.None).ConfigureAwait(false);
            }

            Log.PoolStopped(_logger, Id);
        }
        finally
        {
            Volatile.Write(ref _state, 2);
            _stopped.TrySetResult();
        }
    }

    /// <summary>Stops every loop without releasing anything or saying goodbye, as a killed process would. For tests.</summary>
    public async Task AbandonAsync()
    {
        _stopping = true;
        _completer.Discard();
        await _fetchCts.CancelAsync().ConfigureAwait(false);
        await _heartbeatCts.CancelAsync().ConfigureAwait(false);
        foreach (var job in _running.OfPool(Id))
        {
            job.Cancel(CancelReason.Lost);
        }

        _claimed.Writer.TryComplete();
        await Task.WhenAll([_fetcher, _heartbeat, .. _workers]).ConfigureAwait(false);
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
                _signal.Reset();
                var now = _time.GetUtcNow().UtcDateTime;
                var candidates = await _store.FindCandidatesAsync(_queues, _types, now, conflicted ? free * 3 : free, token).ConfigureAwait(false);
                var pick = conflicted && candidates.Count > free ? Spread(candidates, free) : candidates.Take(free).ToList();

                // A claim is never abandoned half-way: once sent, its winners must reach the workers.
                var claimed = await _store.ClaimAsync(pick, Id, now, CancellationToken.None).ConfigureAwait(false);
                _metrics.Claimed(pick.Count, claimed.Count);
                conflicted = claimed.Count < pick.Count;
                foreach (var record in claimed)
                {
                    var job = new RunningJob(record, Id);
                    _running.Add(job);
                    _claimed.Writer.TryWrite(job);
                }

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

    /// <summary>After a lost claim, pick at random within a wider window so pools racing for the same head of the queue drift apart.</summary>
    private List<(long Id, long Version)> Spread(List<(long Id, long Version)> candidates, int count)
    {
        lock (_random)
        {
            return [.. candidates.OrderBy(_ => _random.Next()).Take(count)];
        }
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _claimed.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var outcome = _stopping
                    ? new JobOutcome(job.Record, job.Version, Id, OutcomeKind.Released, _time.GetUtcNow().UtcDateTime)
                    : await _executor.RunAsync(job).ConfigureAwait(false);
                _completer.Post(outcome);
            }
            finally
            {
                _running.Remove(job);
                job.Dispose();
                _slots.Release();
            }
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
                await BeatAsync(token).ConfigureAwait(false);
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
            }
        }
    }

    private async Task BeatAsync(CancellationToken token)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await _store.HeartbeatAsync(_record, now, token).ConfigureAwait(false);

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

        if (await _rescuer.RescueAsync(Id, now, _pool.StaleTimeout, token).ConfigureAwait(false) > 0)
        {
            _signal.Notify(now);
        }
    }

    public void Dispose()
    {
        _fetchCts.Dispose();
        _heartbeatCts.Dispose();
        _completerAbort.Dispose();
        _slots?.Dispose();
    }

    private async Task WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, cts.Token);
        await Task.WhenAny(task, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
    }
}
