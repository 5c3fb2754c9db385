namespace Jobs.Dashboard.Components;

/// <summary>Which queued work some running pool can take: a live pool that serves the job's queue (<see cref="PoolInfo.Queues"/>)
/// and runs its type (<see cref="PoolInfo.JobTypes"/>; a pool of an earlier version that did not say is taken to run every type).</summary>
internal static class PoolCoverage
{
    /// <summary>How many queued jobs of a type are looked at for the queues they wait in. Claim order puts jobs that have waited
    /// longest first, and jobs no pool takes wait longest, so a bounded sample finds them.</summary>
    private const int Sample = 200;

    /// <summary>The pools whose heartbeat is fresh.</summary>
    public static IReadOnlyList<PoolInfo> Live(IEnumerable<PoolInfo> pools, DateTimeOffset now, TimeSpan staleTimeout)
        => [.. pools.Where(p => now - p.HeartbeatAt <= staleTimeout)];

    /// <summary>The queues the pools serve.</summary>
    public static IReadOnlySet<string> Queues(IEnumerable<PoolInfo> live) => live.SelectMany(p => p.Queues).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when one of the pools serves <paramref name="queue"/> and runs <paramref name="type"/>.</summary>
    public static bool Serves(IEnumerable<PoolInfo> live, string type, string queue)
        => live.Any(p => p.Queues.Contains(queue, StringComparer.Ordinal) && (p.JobTypes is null || p.JobTypes.Contains(type, StringComparer.Ordinal)));

    /// <summary>Every type and queue with queued jobs that no live pool serves, with how many (counted up to the limit).</summary>
    public static async Task<IReadOnlyList<UnservedWork>> FindUnservedAsync(
        IJobMonitor monitor, IReadOnlyList<PoolInfo> live, long countLimit, CancellationToken cancellationToken = default)
    {
        var found = new List<UnservedWork>();
        foreach (var type in await monitor.GetJobTypesAsync(cancellationToken))
        {
            if (type.Counts.GetValueOrDefault(JobStatus.Queued) == 0)
            {
                continue;
            }

            var sample = await monitor.ListAsync(new JobQuery { Type = type.Name, Status = JobStatus.Queued, Take = Sample }, cancellationToken);
            var queues = sample.Items.Select(j => j.Queue).Append(type.Queue).OfType<string>().Distinct(StringComparer.Ordinal);
            foreach (var queue in queues.Where(q => !Serves(live, type.Name, q)).Order(StringComparer.Ordinal))
            {
                var waiting = await monitor.ListAsync(
                    new JobQuery { Type = type.Name, Queue = queue, Status = JobStatus.Queued, Take = 1, CountAtMost = countLimit }, cancellationToken);
                if (waiting.Total > 0)
                {
                    found.Add(new UnservedWork(type.Name, queue, waiting.Total));
                }
            }
        }

        return found;
    }
}
