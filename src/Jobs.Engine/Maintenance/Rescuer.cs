using Jobs.Diagnostics;
using Jobs.Execution;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Jobs.Maintenance;

/// <summary>Re-queues executing jobs whose pool stopped beating, so a crashed machine delays its jobs but never loses them.
/// Every re-queue is a compare-and-swap: if the pool was only slow and finishes first, its outcome stands.</summary>
internal sealed class Rescuer(IJobDriver store, JobsMetrics metrics, TestSignals signals, ILogger<Rescuer> logger)
{
    private const int BatchLimit = 1000;

    /// <returns>How many jobs were re-queued.</returns>
    public async Task<int> RescueAsync(string selfPoolId, DateTime now, TimeSpan staleTimeout, CancellationToken cancellationToken)
    {
        var staleBefore = now - staleTimeout;
        var orphans = await store.FindOrphansAsync(staleBefore, BatchLimit, cancellationToken).ConfigureAwait(false);
        orphans.RemoveAll(j => j.PoolId == selfPoolId);
        var rescued = 0;
        var changed = 0;
        if (orphans.Count > 0)
        {
            var outcomes = orphans.Select(j => Decide(j, selfPoolId, now)).ToList();
            var won = await store.ApplyAsync([.. outcomes.Select(Transitions.For)], now, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < orphans.Count; i++)
            {
                if (won[i])
                {
                    changed++;
                    rescued += outcomes[i].Kind == OutcomeKind.Rescued ? 1 : 0;
                    Log.JobRescued(logger, orphans[i].Id, orphans[i].Type, orphans[i].PoolId);
                }
            }

            metrics.Rescued(rescued);
        }

        foreach (var pool in await store.RemoveStalePoolsAsync(staleBefore, cancellationToken).ConfigureAwait(false))
        {
            Log.PoolRemoved(logger, pool.Id, pool.HeartbeatAt);
        }

        signals.Rescued.Signal(changed);
        return rescued;
    }

    private static JobOutcome Decide(JobRecord job, string selfPoolId, DateTime now)
    {
        var kind = JobStateMachine.Orphaned(JobState.Of(job), retriesLeft: job.Attempt <= job.MaxRetries);
        var error = kind != OutcomeKind.Failed ? null : JobError.FromException(new PoolLostException(
            $"Pool {job.PoolId} stopped beating while attempt {job.Attempt} of job {job.Id} ran, and no retries are left."));
        return new JobOutcome(job, job.Version, selfPoolId, kind, now, error);
    }
}
