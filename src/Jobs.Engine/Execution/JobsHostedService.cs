using Jobs.Diagnostics;
using Jobs.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Execution;

/// <summary>Runs this process's pool with the host; in processes with the pool disabled it still prepares the database.</summary>
internal sealed class JobsHostedService(
    JobPool pool, StorageInitializer initializer, DatabaseOutage outage, IOptions<JobsOptions> options, ILogger<JobsHostedService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Pool.Enabled)
        {
            await pool.StartAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageInitializer.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Scheduling retries the initialization on its first call; the host comes up meanwhile.
            if (!outage.Failed("start-up", ex, retryIn: null))
            {
                Log.DatabaseUnavailableAtStart(logger, ex);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => pool.StopAsync(cancellationToken);
}
