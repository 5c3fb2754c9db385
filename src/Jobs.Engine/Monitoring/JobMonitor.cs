using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Monitoring;

internal sealed class JobMonitor(JobStore store, StorageInitializer initializer, JobOperations operations, JobTypeRegistry registry) : IJobMonitor
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

    public async Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(long atMost, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atMost, 1);
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var counts = new Dictionary<JobStatus, long>();
            foreach (var status in Enum.GetValues<JobStatus>())
            {
                // One bounded walk of the status index per state.
                counts[status] = await db.Jobs.Where(j => j.Status == status).Select(j => j.Id).Take(CapFor(atMost))
                    .LongCountAsync(cancellationToken).ConfigureAwait(false);
            }

            return counts;
        }
    }

    /// <summary>How many rows a bounded count reads: one more than the bound, to tell "exactly the bound" from "more".</summary>
    private static int CapFor(long atMost) => (int)Math.Min(atMost, int.MaxValue - 1) + 1;

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Take, 1000);
        if (query.CountAtMost is { } countAtMost)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(countAtMost, 1);
        }

        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var matching = JobFilters.Where(db.Jobs.AsNoTracking(), query, store.Provider);
            var total = query.CountAtMost is { } atMost
                ? await matching.Select(j => j.Id).Take(CapFor(atMost)).LongCountAsync(cancellationToken).ConfigureAwait(false)
                : await matching.LongCountAsync(cancellationToken).ConfigureAwait(false);

            // Deferred join: the page's ids come from the narrowest scan (an index, when the filter has one), and only those rows are read.
            var ids = JobFilters.Order(matching, query.Sort, query.Descending).Skip(query.Skip).Take(query.Take).Select(j => j.Id);
            var page = await JobFilters.Order(db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)), query.Sort, query.Descending)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
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

    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterEventId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.JobEvents.AsNoTracking().Where(e => e.Id > afterEventId).OrderBy(e => e.Id).Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(JobOperations.ToEvent)];
        }
    }

    public async Task<long> GetLatestEventIdAsync(CancellationToken cancellationToken = default)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.JobEvents.MaxAsync(e => (long?)e.Id, cancellationToken).ConfigureAwait(false) ?? 0;
        }
    }

    public async Task<IReadOnlyList<JobTypeInfo>> GetJobTypesAsync(CancellationToken cancellationToken = default)
    {
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Jobs.GroupBy(j => new { j.Type, j.Status }).Select(g => new { g.Key.Type, g.Key.Status, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var names = rows.Select(r => r.Type).Concat(registry.Names).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return [.. names.Select(name =>
            {
                var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L);
                foreach (var row in rows.Where(r => r.Type == name))
                {
                    counts[row.Status] = row.Count;
                }

                return registry.TryGet(name, out var d)
                    ? new JobTypeInfo(name, true, d.Options.Queue, d.Options.MaxRetries, d.Options.Priority, d.Options.Timeout, counts)
                    : new JobTypeInfo(name, false, null, null, null, null, counts);
            })];
        }
    }

    public async Task<IReadOnlyList<RecurringJobInfo>> GetRecurringAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var jobs = await db.Jobs.AsNoTracking().Where(j => j.IntervalMs != null).OrderBy(j => j.Id).Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<RecurringJobInfo>(jobs.Count);
            foreach (var job in jobs)
            {
                // The job's own events, newest first, through ix_job_events_job: one short index walk per recurring job.
                var last = await db.JobEvents.AsNoTracking()
                    .Where(e => e.JobId == job.Id && (e.Kind == JobEventKind.Succeeded || e.Kind == JobEventKind.Failed))
                    .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                result.Add(new RecurringJobInfo(new Job(operations, job), last is null ? null : JobOperations.ToEvent(last)));
            }

            return result;
        }
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p)
        => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
