using Jobs.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs.Execution;

/// <summary>Runs this process's pool with the host; in processes with the pool disabled it still prepares the database.</summary>
internal sealed class JobsHostedService(JobPool pool, StorageInitializer initializer, IOptions<JobsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => options.Value.Pool.Enabled ? pool.StartAsync(cancellationToken) : initializer.EnsureInitializedAsync(cancellationToken).AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => pool.StopAsync(cancellationToken);
}
