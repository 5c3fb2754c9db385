using System.Collections.Concurrent;

namespace Jobs.Execution;

/// <summary>The jobs executing in this process, so that a cancel or delete issued here reaches the handler at once.</summary>
internal sealed class RunningJobs
{
    private readonly ConcurrentDictionary<long, RunningJob> _jobs = new();

    public void Add(RunningJob job) => _jobs[job.Record.Id] = job;

    public void Remove(RunningJob job) => _jobs.TryRemove(new KeyValuePair<long, RunningJob>(job.Record.Id, job));

    public bool TryCancel(long jobId, CancelReason reason)
    {
        if (_jobs.TryGetValue(jobId, out var job))
        {
            job.Cancel(reason);
            return true;
        }

        return false;
    }

    public List<RunningJob> OfPool(string poolId) => [.. _jobs.Values.Where(j => j.PoolId == poolId)];
}
