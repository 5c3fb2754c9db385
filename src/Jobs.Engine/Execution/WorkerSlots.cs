using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobs.Diagnostics;
using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Execution;

/// <summary>Where claimed jobs meet the workers: the slots (one per worker), the channel the workers read, and what the
/// pool knows it executes. The fetcher and the completer both claim, so both hand out through here.</summary>
internal sealed class WorkerSlots(string poolId, int numWorkers, int batchSize, IReadOnlyCollection<string> queues, IReadOnlyCollection<string> types,
    RunningJobs running, JobsMetrics metrics, Func<bool> claiming) : IWorkerSlots, IDisposable
{
    private readonly SemaphoreSlim _free = new(numWorkers, numWorkers);
    private readonly Channel<RunningJob> _claimed = Channel.CreateUnbounded<RunningJob>();

    // Jobs this pool claimed whose outcome is not stored yet: the database rightly says this pool executes them. The value
    // is the version the claim left, so that settling one attempt never forgets the next attempt of the same job, which
    // the completer may claim in the very transaction that stores the first one's outcome.
    private readonly ConcurrentDictionary<long, long> _unsettled = new();
    private long _refillTicket;

    public ClaimTracker Claims { get; } = new();

    public ChannelReader<RunningJob> Claimed => _claimed.Reader;

    /// <summary>Waits for one free worker, then takes as many more as are free at once, up to the batch size.</summary>
    public async Task<int> TakeFreeAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        var free = 1;
        while (free < batchSize && _free.Wait(0, CancellationToken.None))
        {
            free++;
        }

        return free;
    }

    /// <summary>Gives claimed jobs to the workers; returns those no worker will take any more (the pool stopped meanwhile).</summary>
    public List<JobRecord> HandOut(IReadOnlyList<JobRecord> claimed)
    {
        var rejected = new List<JobRecord>();
        foreach (var record in claimed)
        {
            _unsettled[record.Id] = record.Version;
            var job = new RunningJob(record, poolId);
            running.Add(job);
            if (!_claimed.Writer.TryWrite(job))
            {
                running.Remove(job);
                job.Dispose();
                rejected.Add(record);
            }
        }

        return rejected;
    }

    /// <summary>No worker takes new jobs from now on; those already handed out are still read.</summary>
    public void CloseHandOut() => _claimed.Writer.TryComplete();

    /// <summary>The attempt's outcome is stored or superseded: the database no longer says this pool executes it.</summary>
    public void Settle(JobRecord job) => _unsettled.TryRemove(new KeyValuePair<long, long>(job.Id, job.Version));

    public bool IsUnsettled(long jobId) => _unsettled.ContainsKey(jobId);

    ClaimRequest? IWorkerSlots.RefillRequest(int freed)
        => !claiming() || types.Count == 0 ? null : new ClaimRequest(queues, types, Math.Min(freed, batchSize), poolId);

    // The completer sends one claim at a time, so one field holds its ticket.
    void IWorkerSlots.Claiming() => Volatile.Write(ref _refillTicket, Claims.Begin());

    IReadOnlyList<JobRecord> IWorkerSlots.Claimed(int freed, IReadOnlyList<JobRecord>? claimed)
    {
        try
        {
            if (claimed is null)
            {
                return [];
            }

            metrics.Claimed(claimed.Count);
            Release(freed - claimed.Count);
            return HandOut(claimed);
        }
        finally
        {
            Claims.End(Volatile.Read(ref _refillTicket));
        }
    }

    public void Release(int count)
    {
        if (count > 0)
        {
            _free.Release(count);
        }
    }

    public void Dispose() => _free.Dispose();
}
