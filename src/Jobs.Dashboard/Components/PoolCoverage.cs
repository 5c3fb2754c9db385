namespace Jobs.Dashboard.Components;

/// <summary>Which queued work some running pool can take. A pool announces the queues it serves (<see cref="PoolInfo.Queues"/>) but
/// not the job types it has registered, so only queues are checked: a job in a served queue whose type that pool lacks is not
/// found here.</summary>
internal static class PoolCoverage
{
    /// <summary>How many queued jobs of a type are looked at for the queues they wait in. Claim order puts jobs that have waited
    /// longest first, and jobs no pool takes wait longest, so a bounded sample finds them.</summary>
    private const int Sample = 200;

    /// <summary>The queues served by pools whose heartbeat is fresh.</summary>
    public static IReadOnlySet<string> LiveQueues(IEnumerable<PoolInfo> pools, DateTimeOffset now, TimeSpan staleTimeout)
        => pools.Where(p => now - p.HeartbeatAt <= staleTimeout).SelectMany(p => p.Queues).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every type and queue with queued jobs that no live pool serves, with how many (counted up to the limit).</summary>
    public static async Task<IReadOnlyList<UnservedWork>> FindUnservedAsync(
        IJobMonitor monitor, IReadOnlySet<string> served, long countLimit, CancellationToken cancellationToken = default)
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
            foreach (var queue in queues.Where(q => !served.Contains(q)).Order(StringComparer.Ordinal))
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
