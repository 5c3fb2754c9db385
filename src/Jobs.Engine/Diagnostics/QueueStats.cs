namespace Jobs.Diagnostics;

/// <summary>One reading of the queues by the maintenance leader, cached for the <c>jobs.queued</c> and <c>jobs.queue.lag</c> gauges.</summary>
internal sealed record QueueStats(IReadOnlyList<QueueStat> Queues, DateTime ReadAt);

/// <summary>One queue of a <see cref="QueueStats"/>: its jobs in state Queued (due or not), and how long its oldest due job
/// has waited in seconds (now minus its run time; 0 when none is due).</summary>
internal sealed record QueueStat(string Queue, long Queued, double LagSeconds);
