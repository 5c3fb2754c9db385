using Jobs.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Jobs.Diagnostics;

/// <summary>Healthy when the jobs database answers a read; the data says how this process's pool is doing. A database that
/// does not answer is reported with the registration's failure status and the innermost error, which names the cause
/// (a refused connection, a wrong password) where the outer one says only "transient failure".</summary>
internal sealed class JobsHealthCheck(IJobDriver driver, JobPool pool, IOptions<JobsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["database"] = options.Value.Database.Provider.ToString(),
            ["pool"] = pool.Id,
            ["pool_running"] = pool.IsRunning,
            ["executing"] = pool.ExecutingCount,
        };
        try
        {
            data["latest_event_id"] = await driver.ReadLatestEventIdAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to read is the answer the check reports.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var cause = ex.GetBaseException().Message.ReplaceLineEndings(" ").Trim();
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The jobs database ({options.Value.Database.Provider}) did not answer: {cause}", ex, data);
        }

        return HealthCheckResult.Healthy(
            pool.IsRunning ? $"The jobs database answers; pool {pool.Id} is executing {Jobs(pool.ExecutingCount)}." : "The jobs database answers; no pool runs in this process.",
            data);
    }

    private static string Jobs(int count) => count == 1 ? "1 job" : $"{count} jobs";
}
