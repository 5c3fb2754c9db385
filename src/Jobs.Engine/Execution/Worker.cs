using Jobs.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>One of the pool's <c>NumWorkers</c> workers: runs the jobs handed out to it one at a time and posts each
/// outcome to the completer. It outlives anything the executor or a handler throws.</summary>
internal sealed class Worker(WorkerSlots slots, JobExecutor executor, Completer completer, RunningJobs running, TimeProvider time, ILogger logger,
    string poolId, Func<bool> stopping)
{
    public async Task RunAsync()
    {
        await foreach (var job in slots.Claimed.ReadAllAsync().ConfigureAwait(false))
        {
            var posted = false;
            try
            {
                var outcome = await RunOneAsync(job).ConfigureAwait(false);
                // Whoever posts the outcome hands its slot to the completer: this worker, or a stop that released the job
                // while the handler was still running.
                posted = true;
                if (!job.TrySettle(() => completer.Post(outcome)))
                {
                    Log.LateOutcomeDropped(logger, job.Record.Id, job.Record.Type, outcome.Kind.ToString());
                }
            }
#pragma warning disable CA1031 // A worker outlives anything: a job it cannot account for is rescued with this pool's jobs.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                posted = false;
                Log.ExecutionFault(logger, job.Record.Id, job.Record.Type, job.Record.Attempt, ex.GetType().FullName ?? "exception");
            }
            finally
            {
                running.Remove(job);
                job.Dispose();
                if (!posted)
                {
                    slots.Release(1);
                }
            }
        }
    }

    /// <summary>The attempt's outcome, whatever the executor or the handler throws.</summary>
    private async Task<JobOutcome> RunOneAsync(RunningJob job)
    {
        if (stopping())
        {
            return new JobOutcome(job.Record, job.Version, poolId, OutcomeKind.Released, time.GetUtcNow().UtcDateTime);
        }

        try
        {
            return await executor.RunAsync(job).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The executor never throws by design; if it does, the attempt still ends and the worker lives.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var fault = ex.GetType().FullName ?? "exception";
            Log.ExecutionFault(logger, job.Record.Id, job.Record.Type, job.Record.Attempt, fault);
            var error = new JobError(fault, $"The engine could not record how attempt {job.Record.Attempt} ended: {fault} was thrown while reading its result", string.Empty);
            return new JobOutcome(job.Record, job.Version, poolId, OutcomeKind.Failed, time.GetUtcNow().UtcDateTime, error);
        }
    }
}
