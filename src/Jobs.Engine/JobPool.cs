using Jobs.Execution;

namespace Jobs;

/// <summary>The worker pool of this process. With a generic host, <c>AddJobs</c> runs it as a hosted service;
/// without one, resolve it and call <see cref="StartAsync"/>, <see cref="StopAsync"/> and <see cref="WaitAsync"/>.</summary>
public sealed class JobPool : IAsyncDisposable
{
    private readonly PoolRuntime _runtime;

    internal JobPool(PoolRuntime runtime) => _runtime = runtime;

    /// <summary>This pool's id, as stored on the jobs it claims: host, process id and a random suffix.</summary>
    public string Id => _runtime.Id;

    /// <summary>True between a successful start and the beginning of a stop.</summary>
    public bool IsRunning => _runtime.IsRunning;

    /// <summary>How many jobs this pool is executing right now.</summary>
    public int ExecutingCount => _runtime.ExecutingCount;

    internal PoolRuntime Runtime => _runtime;

    /// <summary>Prepares the database (when <see cref="DatabaseOptions.AutoMigrate"/> is on), announces the pool and starts claiming jobs.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) => _runtime.StartAsync(cancellationToken);

    /// <summary>Stops claiming, lets running jobs finish within <see cref="PoolOptions.ShutdownTimeout"/> (or until
    /// <paramref name="cancellationToken"/> is cancelled), then cancels the rest and releases them to other pools at once.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _runtime.StopAsync(cancellationToken);

    /// <summary>Completes when the pool has stopped.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => _runtime.Stopped.WaitAsync(cancellationToken);

    /// <summary>Stops the pool gracefully.</summary>
    public async ValueTask DisposeAsync() => await _runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
}
