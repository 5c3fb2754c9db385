using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>Reads of jobs and their history through EF: plain queries every provider translates the same way, filters and
/// orders shared by listings and bulk actions (<see cref="JobFilters"/>).</summary>
internal sealed class EfJobReads(StorageProvider provider)
{
    public Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken)
        => ReadAsync(db => db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken));

    public Task<List<JobRecord>> FindManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return ReadAsync(db => db.Jobs.AsNoTracking().Where(j => list.Contains(j.Id)).OrderBy(j => j.Id).ToListAsync(cancellationToken));
    }

    public Task<List<JobRecord>> FindMatchingAsync(JobQuery filter, long afterId, int limit, CancellationToken cancellationToken)
        => ReadAsync(db => JobFilters.Where(db.Jobs.AsNoTracking(), filter, provider).Where(j => j.Id > afterId).OrderBy(j => j.Id).Take(limit)
            .ToListAsync(cancellationToken));

    public Task<bool> WasDeletedAsync(long id, CancellationToken cancellationToken)
        => ReadAsync(db => db.JobEvents.AnyAsync(e => e.JobId == id && e.Kind == JobEventKind.Destroyed, cancellationToken));

    public Task<(List<JobRecord> Rows, long Total)> ReadPageAsync(JobQuery query, CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var matching = JobFilters.Where(db.Jobs.AsNoTracking(), query, provider);
            var total = query.CountAtMost is { } atMost
                ? await matching.Select(j => j.Id).Take(CapFor(atMost)).LongCountAsync(cancellationToken).ConfigureAwait(false)
                : await matching.LongCountAsync(cancellationToken).ConfigureAwait(false);

            // Deferred join: the page's ids come from the narrowest scan (an index, when the filter has one), and only those rows are read.
            var ids = JobFilters.Order(matching, query.Sort, query.Descending).Skip(query.Skip).Take(query.Take).Select(j => j.Id);
            var page = await JobFilters.Order(db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)), query.Sort, query.Descending)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return (page, total);
        });

    public Task<Dictionary<JobStatus, long>> CountByStatusAsync(long? atMost, CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L);
            if (atMost is { } bound)
            {
                foreach (var status in Enum.GetValues<JobStatus>())
                {
                    // One bounded walk of the status index per state.
                    counts[status] = await db.Jobs.Where(j => j.Status == status).Select(j => j.Id).Take(CapFor(bound))
                        .LongCountAsync(cancellationToken).ConfigureAwait(false);
                }

                return counts;
            }

            var rows = await db.Jobs.GroupBy(j => j.Status).Select(g => new { Status = g.Key, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                counts[row.Status] = row.Count;
            }

            return counts;
        });

    public Task<List<(string Type, JobStatus Status, long Count)>> CountByTypeAsync(CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var rows = await db.Jobs.GroupBy(j => new { j.Type, j.Status }).Select(g => new { g.Key.Type, g.Key.Status, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.Select(r => (r.Type, r.Status, r.Count)).ToList();
        });

    // One statement, reading only the queued rows through ix_jobs_status, never the finished ones that make up most of a
    // large table. The group key is an expression (queue || '') so that SQLite does not walk all of ix_jobs_queue for its
    // order instead: measured on 1,000,000 rows with 10,000 queued, 16 ms instead of
    // 100 ms (all 1,000,000 queued: 0.6 s); PostgreSQL reads ix_jobs_status either way (14 ms; all queued: a scan, 0.13 s).
    public Task<List<QueueReading>> ReadQueuesAsync(DateTime now, CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var rows = await db.Jobs.Where(j => j.Status == JobStatus.Queued).GroupBy(j => j.Queue + "")
                .Select(g => new { Queue = g.Key, Count = g.LongCount(), Oldest = g.Where(j => j.RunAt <= now).Min(j => (DateTime?)j.RunAt) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.Select(r => new QueueReading(r.Queue, r.Count, r.Oldest is { } o ? DateTime.SpecifyKind(o, DateTimeKind.Utc) : null)).ToList();
        });

    public Task<List<TimeSpan>> ReadDurationsAsync(string? type, int sample, CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var jobs = db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Finished && j.StartedAt != null && j.FinishedAt != null);
            if (type is not null)
            {
                jobs = jobs.Where(j => j.Type == type);
            }

            var rows = await jobs.OrderByDescending(j => j.Id).Take(sample).Select(j => new { j.StartedAt, j.FinishedAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.Select(r => r.FinishedAt!.Value - r.StartedAt!.Value).ToList();
        });

    public Task<List<(JobRecord Job, JobEventRecord? LastRun)>> ReadRecurringAsync(int limit, CancellationToken cancellationToken)
        => ReadAsync(async db =>
        {
            var jobs = await db.Jobs.AsNoTracking().Where(j => j.IntervalMs != null).OrderBy(j => j.Id).Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<(JobRecord, JobEventRecord?)>(jobs.Count);
            foreach (var job in jobs)
            {
                // The job's own events, newest first, through ix_job_events_job: one short index walk per recurring job.
                var last = await db.JobEvents.AsNoTracking()
                    .Where(e => e.JobId == job.Id && (e.Kind == JobEventKind.Succeeded || e.Kind == JobEventKind.Failed))
                    .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                result.Add((job, last));
            }

            return result;
        });

    public Task<List<JobEventRecord>> ReadHistoryAsync(long id, CancellationToken cancellationToken)
        => ReadAsync(db => db.JobEvents.AsNoTracking().Where(e => e.JobId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken));

    public Task<List<JobEventRecord>> ReadEventsAsync(long afterEventId, int limit, CancellationToken cancellationToken)
        => ReadAsync(db => db.JobEvents.AsNoTracking().Where(e => e.Id > afterEventId).OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken));

    // Each selection has a filtered index on the event id (ix_job_events_audit, ix_job_events_deletions), so a page is read
    // from the newest end without scanning the history.
    public Task<List<JobEventRecord>> ReadLatestEventsAsync(LatestEvents which, long beforeEventId, int limit, CancellationToken cancellationToken)
        => ReadAsync(db => (which == LatestEvents.Audit
                ? db.JobEvents.Where(e => e.Actor != null)
                : db.JobEvents.Where(e => e.Kind == JobEventKind.Destroyed))
            .AsNoTracking().Where(e => e.Id < beforeEventId).OrderByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken));

    public Task<long> ReadLatestEventIdAsync(CancellationToken cancellationToken)
        => ReadAsync(async db => await db.JobEvents.MaxAsync(e => (long?)e.Id, cancellationToken).ConfigureAwait(false) ?? 0);

    /// <summary>In the claim's own order (priority descending, run time, id), so the database walks ix_jobs_claim from its
    /// start and stops at the first ready row, as the claim does: a min over run_at would read every queued row.</summary>
    public Task<DateTime?> ReadNextReadyRunAtAsync(DateTime now, CancellationToken cancellationToken)
        => ReadAsync(db => db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued && j.RunAt <= now)
            .OrderByDescending(j => j.Priority).ThenBy(j => j.RunAt).ThenBy(j => j.Id)
            .Select(j => (DateTime?)j.RunAt).FirstOrDefaultAsync(cancellationToken));

    public Task<(List<long> Lost, List<long> CancelRequested)> CheckOwnershipAsync(string poolId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Task.FromResult<(List<long>, List<long>)>(([], []));
        }

        return ReadAsync(async db =>
        {
            var lost = new List<long>();
            var cancel = new List<long>();
            var rows = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))
                .Select(j => new { j.Id, j.Status, j.PoolId, j.CancelRequested })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var byId = rows.ToDictionary(r => r.Id);
            foreach (var id in ids)
            {
                if (!byId.TryGetValue(id, out var row) || row.Status != JobStatus.Executing || row.PoolId != poolId)
                {
                    lost.Add(id);
                }
                else if (row.CancelRequested)
                {
                    cancel.Add(id);
                }
            }

            return (lost, cancel);
        });
    }

    /// <summary>Only what a release needs (id, version, attempt), as this runs on every heartbeat.</summary>
    public Task<List<JobRecord>> FindExecutingAsync(string poolId, CancellationToken cancellationToken)
        => ReadAsync(db => db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Executing && j.PoolId == poolId)
            .Select(j => new JobRecord { Id = j.Id, Version = j.Version, Attempt = j.Attempt, PoolId = j.PoolId, Status = j.Status })
            .ToListAsync(cancellationToken));

    /// <summary>How many rows a bounded count reads: one more than the bound, to tell "exactly the bound" from "more".</summary>
    private static int CapFor(long atMost) => (int)Math.Min(atMost, int.MaxValue - 1) + 1;

    private Task<T> ReadAsync<T>(Func<JobsDbContext, Task<T>> read) => provider.ReadAsync(read);
}
