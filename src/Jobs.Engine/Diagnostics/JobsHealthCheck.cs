using System.Globalization;
using Jobs.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Jobs.Diagnostics;

/// <summary>Three questions, in this order: does the jobs database answer, is this process's pool running and beating, and
/// how long has the next ready job waited. A database that does not answer is reported with the registration's failure
/// status and the innermost error, which names the cause (a refused connection, a wrong password) where the outer one says
/// only "transient failure". A pool that is not running, or whose last good beat is older than <c>StaleTimeout</c> (from
/// then on other pools treat it as dead and rescue its jobs), is the failure status too; a process with the pool disabled
/// has nothing to report there. A ready job that has waited longer than <paramref name="maxQueueLag"/> is Degraded:
/// jobs are not lost, but nobody takes them fast enough.</summary>
internal sealed class JobsHealthCheck(IJobDriver driver, JobPool pool, IOptions<JobsOptions> options, TimeProvider time, TimeSpan maxQueueLag) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var runtime = pool.Runtime;
        var data = new Dictionary<string, object>
        {
            ["database"] = o.Database.Provider.ToString(),
            ["pool"] = pool.Id,
            ["pool_running"] = pool.IsRunning,
            ["executing"] = pool.ExecutingCount,
        };
        var sinceBeat = o.Pool.Enabled ? runtime.SinceLastBeat : null;
        if (sinceBeat is { } age)
        {
            data["last_beat_age_seconds"] = Math.Round(age.TotalSeconds, 3);
        }

        var now = time.GetUtcNow().UtcDateTime;
        DateTime? nextReady;
        try
        {
            nextReady = await driver.ReadNextReadyRunAtAsync(now, cancellationToken).ConfigureAwait(false);
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
                $"The jobs database ({o.Database.Provider}) did not answer: {cause}", ex, data);
        }

        var wait = nextReady is { } runAt && now > runAt ? now - runAt : TimeSpan.Zero;
        data["oldest_ready_wait_seconds"] = Math.Round(wait.TotalSeconds, 3);

        if (o.Pool.Enabled && !pool.IsRunning)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The jobs database answers, but pool {pool.Id} of this process is not running (not started yet, stopping, or it failed to start).", data: data);
        }

        if (sinceBeat is { } silent && silent > o.Pool.StaleTimeout)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Pool {pool.Id} has not beaten for {Seconds(silent)}, longer than Jobs:Pool:StaleTimeout ({o.Pool.StaleTimeout}): " +
                "other pools treat it as dead and rescue its jobs.", data: data);
        }

        var poolText = o.Pool.Enabled ? $"pool {pool.Id} is executing {Jobs(pool.ExecutingCount)}" : "no pool runs in this process";
        if (wait > maxQueueLag)
        {
            return HealthCheckResult.Degraded(
                $"The jobs database answers and {poolText}, but the next ready job has waited {Seconds(wait)}, longer than {maxQueueLag}: " +
                "no pool takes the ready jobs fast enough (too few workers, or no pool for their queue or type).", data: data);
        }

        return HealthCheckResult.Healthy($"The jobs database answers; {poolText}.", data);
    }

    private static string Jobs(int count) => count == 1 ? "1 job" : $"{count} jobs";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
