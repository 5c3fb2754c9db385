using System.Text.Json;
using Jobs.Diagnostics;
using Jobs.Maintenance;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Execution;

/// <summary>Starts and stops the pool's parts in order: the <see cref="Heartbeat"/>, the <see cref="Completer"/>,
/// <c>NumWorkers</c> <see cref="Worker"/>s, the <see cref="Maintainer"/> (which acts only while this pool leads), the
/// <see cref="Fetcher"/> and the wake-up listener. Claimed jobs meet the workers in <see cref="WorkerSlots"/>.</summary>
internal sealed class PoolRuntime : IDisposable
{
    /// <summary>How much longer than <c>ShutdownTimeout</c> a stop may take: handlers get <see cref="CancelGrace"/> to honour
    /// their cancelled token, the rest goes to storing outcomes and releases.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private readonly IJobDriver _store;
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
    private readonly TestSignals _signals;
    private readonly CancellationTokenSource _completerAbort = new();
    private readonly DatabaseOutage _outage;

    private PoolOptions _pool = null!;
    private WorkerSlots _slots = null!;
    private Heartbeat _heartbeat = null!;
    private Completer _completer = null!;
    private BackgroundLoop? _fetcher;
    private BackgroundLoop _beating = null!;
    private Maintainer _maintainer = null!;
    private BackgroundLoop _maintaining = null!;
    private BackgroundLoop? _listening;
    private Task[] _workers = [];
    private Task _completion = Task.CompletedTask;
    private int _state; // 0 new, 1 starting/running, 2 stopping/stopped
    private volatile bool _stopping;

    public PoolRuntime(
        IJobDriver store,
        StorageInitializer initializer,
        JobTypeRegistry registry,
        JobExecutor executor,
        Rescuer rescuer,
        RunningJobs running,
        JobSignal signal,
        JobsMetrics metrics,
        TimeProvider time,
        IOptions<JobsOptions> options,
        DatabaseOutage outage,
        TestSignals signals,
        ILogger<PoolRuntime> logger)
    {
        _outage = outage;
        _signals = signals;
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

    /// <summary>How long ago the last good beat started (since the start before the first); null before a start.</summary>
    public TimeSpan? SinceLastBeat => Volatile.Read(ref _heartbeat) is { } heartbeat ? heartbeat.SinceLastBeat : null;

    public Task Stopped => _stopped.Task;

    /// <summary>The points of this pool that tests wait on; they record nothing unless a test initialises them.</summary>
    public TestSignals Signals => _signals;

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
        string[] types = [.. _registry.Names];
        string[] queues = _pool.Queues.Count > 0
            ? [.. _pool.Queues.Distinct(StringComparer.Ordinal)]
            : [.. _registry.All.Select(d => d.Options.Queue ?? options.DefaultQueue).Distinct(StringComparer.Ordinal)];
        var now = _time.GetUtcNow().UtcDateTime;
        var record = new PoolRecord
        {
            Id = Id,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            NumWorkers = _pool.NumWorkers,
            Queues = string.Join(",", queues),
            JobTypes = JsonSerializer.Serialize(types),
            StartedAt = now,
            HeartbeatAt = now,
        };
        _slots = new WorkerSlots(Id, _pool.NumWorkers, _pool.BatchSize, queues, types, _running, _metrics,
            () => !_stopping && _fetcher?.IsStopRequested != true);
        _heartbeat = new Heartbeat(_store, _initializer, _running, _slots, _signal, _time, _logger, record, _pool, _outage, _signals);

        try
        {
            await _initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            await _heartbeat.AnnounceAtStartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageInitializer.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // A schema mismatch stops the start; a database that is down does not: every loop retries, and the pool
            // announces itself and claims as soon as the database answers.
            if (!_outage.Failed("pool start-up", ex, retryIn: null))
            {
                Log.PoolStartedWithoutDatabase(_logger, ex, Id);
            }
        }

        _completer = new Completer(_store, _signal, _time, _logger, _slots, _slots.Settle, _outage, _signals);
        _beating = _heartbeat.CreateLoop();
        _maintainer = new Maintainer(_store, _heartbeat, _rescuer, new QueueGauges(_store, _metrics, _signals), _signal, _time, _logger, Id, _pool, _outage, _signals);
        _maintaining = _maintainer.CreateLoop();
        if (types.Length > 0)
        {
            _fetcher = new Fetcher(_store, _initializer, _heartbeat, _slots, _signal, _metrics, _time, _logger, Id, queues, types, _pool.MinWait, _outage, _signals).CreateLoop();
        }

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
                _fetcher?.RequestStop();
                _beating.RequestStop();
                _maintaining.RequestStop();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _workers = [.. Enumerable.Range(0, _pool.NumWorkers).Select(_ =>
        {
            var worker = new Worker(_slots, _executor, _completer, _running, _time, _logger, Id, () => _stopping);
            return Task.Run(worker.RunAsync, CancellationToken.None);
        })];
        _beating.Start();
        _maintaining.Start();
        if (_fetcher is not null)
        {
            _fetcher.Start();
            if (_store.WakeChannel is { } channel)
            {
                _listening = new BackgroundLoop(_time, async token =>
                {
                    await _store.ListenAsync(due => _signal.Notify(due ?? _time.GetUtcNow().UtcDateTime), () => _signal.Current.IsCompleted, _time, _logger, token)
                        .ConfigureAwait(false);
                    return TimeSpan.Zero; // The session ended with its connection: open another at once.
                }, (ex, delay) =>
                {
                    if (!_outage.Failed("wake-up listener", ex, delay))
                    {
                        Log.ListenerLost(_logger, ex, channel, delay);
                    }
                });
                _listening.Start();
            }
        }

        Log.PoolStarted(_logger, Id, _pool.NumWorkers, record.Queues, _store.Name);
        _signals.PoolStarted.Signal(Id);
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
            _fetcher?.RequestStop();
            _listening?.RequestStop();
            var claiming = Task.WhenAll(_fetcher?.Completion ?? Task.CompletedTask, _listening?.Completion ?? Task.CompletedTask);
            await WaitAsync(claiming, Timeout.InfiniteTimeSpan, budget.Token).ConfigureAwait(false); // A claim in flight hands out its winners first.
            _slots.CloseHandOut();

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

            _beating.RequestStop();
            _maintaining.RequestStop();
            await WaitAsync(Task.WhenAll(_beating.Completion, _maintaining.Completion), Timeout.InfiniteTimeSpan, budget.Token).ConfigureAwait(false);

            if (_maintaining.Completion.IsCompleted && !budget.IsCancellationRequested)
            {
                await _maintainer.ResignAsync(budget.Token).ConfigureAwait(false);
            }

            if (claiming.IsCompleted && _completion.IsCompletedSuccessfully && !budget.IsCancellationRequested)
            {
                await RemovePoolAsync(budget.Token).ConfigureAwait(false);
            }

            Log.PoolStopped(_logger, Id);
        }
        finally
        {
            _metrics.SetQueues(null); // A stopped pool leads no more, resigned or not.
            Volatile.Write(ref _state, 2);
            _stopped.TrySetResult();
            _signals.PoolStopped.Signal(Id);
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
            if (!_outage.Failed("pool stop", ex, retryIn: null))
            {
                Log.HeartbeatFailed(_logger, ex, Id);
            }
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

        _fetcher?.Dispose();
        _beating?.Dispose();
        _maintaining?.Dispose();
        _completerAbort.Dispose();
        _listening?.Dispose();
        _slots?.Dispose();
        _heartbeat?.Dispose();
    }

    private async Task WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, cts.Token);
        await Task.WhenAny(task, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
    }
}
