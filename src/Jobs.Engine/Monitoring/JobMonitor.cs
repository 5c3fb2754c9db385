using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Monitoring;

internal sealed class JobMonitor(JobStore store, StorageInitializer initializer, JobOperations operations) : IJobMonitor
{
    public async Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Jobs.GroupBy(j => j.Status).Select(g => new { Status = g.Key, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L);
            foreach (var row in rows)
            {
                counts[row.Status] = row.Count;
            }

            return counts;
        }
    }

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Take, 1000);
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var jobs = db.Jobs.AsNoTracking();
            if (query.Status is { } status)
            {
                jobs = jobs.Where(j => j.Status == status);
            }

            if (query.Type is { } type)
            {
                jobs = jobs.Where(j => j.Type == type);
            }

            if (query.Queue is { } queue)
            {
                jobs = jobs.Where(j => j.Queue == queue);
            }

            var total = await jobs.LongCountAsync(cancellationToken).ConfigureAwait(false);
            var page = await jobs.OrderByDescending(j => j.Priority).ThenBy(j => j.RunAt).ThenBy(j => j.Id)
                .Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken).ConfigureAwait(false);
            return new JobPage([.. page.Select(r => new Job(operations, r))], total);
        }
    }

    public Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long jobId, CancellationToken cancellationToken = default)
        => operations.GetHistoryAsync(jobId, cancellationToken);

    public async Task<JobDurationStats> GetDurationStatsAsync(string? type = null, int sample = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sample, 1);
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var jobs = db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Finished && j.StartedAt != null && j.FinishedAt != null);
            if (type is not null)
            {
                jobs = jobs.Where(j => j.Type == type);
            }

            var rows = await jobs.OrderByDescending(j => j.Id).Take(sample).Select(j => new { j.StartedAt, j.FinishedAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var durations = rows.Select(r => r.FinishedAt!.Value - r.StartedAt!.Value).Order().ToList();
            if (durations.Count == 0)
            {
                return new JobDurationStats(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            }

            return new JobDurationStats(
                durations.Count,
                TimeSpan.FromTicks((long)durations.Average(d => d.Ticks)),
                Percentile(durations, 0.50),
                Percentile(durations, 0.95),
                durations[^1]);
        }
    }

    public async Task<IReadOnlyList<PoolInfo>> GetPoolsAsync(CancellationToken cancellationToken = default)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var pools = await db.Pools.AsNoTracking().OrderBy(p => p.StartedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
            var busy = await db.Jobs.Where(j => j.Status == JobStatus.Executing && j.PoolId != null)
                .GroupBy(j => j.PoolId!).Select(g => new { Pool = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Pool, g => g.Count, cancellationToken).ConfigureAwait(false);
            return [.. pools.Select(p => new PoolInfo(
                p.Id, p.Host, p.ProcessId, p.NumWorkers, busy.GetValueOrDefault(p.Id),
                p.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
                new DateTimeOffset(p.StartedAt, TimeSpan.Zero), new DateTimeOffset(p.HeartbeatAt, TimeSpan.Zero)))];
        }
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p)
        => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
