using System.Text.Json;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;

namespace Jobs.Monitoring;

internal sealed class JobMonitor(IJobDriver store, JobOperations operations, JobTypeRegistry registry) : IJobMonitor
{
    public async Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken = default)
        => await store.CountByStatusAsync(null, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(long atMost, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atMost, 1);
        return await store.CountByStatusAsync(atMost, cancellationToken).ConfigureAwait(false);
    }

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

        var (rows, total) = await store.ReadPageAsync(query, cancellationToken).ConfigureAwait(false);
        return new JobPage([.. rows.Select(r => new Job(operations, r))], total);
    }

    public Task<IReadOnlyList<JobEvent>> GetHistoryAsync(long jobId, CancellationToken cancellationToken = default)
        => operations.GetHistoryAsync(jobId, cancellationToken);

    public async Task<JobDurationStats> GetDurationStatsAsync(string? type = null, int sample = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sample, 1);
        var durations = (await store.ReadDurationsAsync(type, sample, cancellationToken).ConfigureAwait(false)).Order().ToList();
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

    public async Task<IReadOnlyList<PoolInfo>> GetPoolsAsync(CancellationToken cancellationToken = default)
    {
        var pools = await store.ReadPoolsAsync(cancellationToken).ConfigureAwait(false);
        return [.. pools.Select(r => new PoolInfo(
            r.Pool.Id, r.Pool.Host, r.Pool.ProcessId, r.Pool.NumWorkers, r.Executing,
            r.Pool.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries),
            new DateTimeOffset(r.Pool.StartedAt, TimeSpan.Zero), new DateTimeOffset(r.Pool.HeartbeatAt, TimeSpan.Zero))
        {
            JobTypes = r.Pool.JobTypes is { } types ? JsonSerializer.Deserialize<string[]>(types) : null,
        })];
    }

    public Task<IReadOnlyList<JobEvent>> GetAuditLogAsync(int limit = 100, long? beforeEventId = null, CancellationToken cancellationToken = default)
        => ReadLatestAsync(LatestEvents.Audit, limit, beforeEventId, cancellationToken);

    public Task<IReadOnlyList<JobEvent>> GetDeletedAsync(int limit = 100, long? beforeEventId = null, CancellationToken cancellationToken = default)
        => ReadLatestAsync(LatestEvents.Deletions, limit, beforeEventId, cancellationToken);

    private async Task<IReadOnlyList<JobEvent>> ReadLatestAsync(LatestEvents which, int limit, long? beforeEventId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return [.. (await store.ReadLatestEventsAsync(which, beforeEventId ?? long.MaxValue, limit, cancellationToken).ConfigureAwait(false)).Select(JobOperations.ToEvent)];
    }

    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterEventId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return [.. (await store.ReadEventsAsync(afterEventId, limit, cancellationToken).ConfigureAwait(false)).Select(JobOperations.ToEvent)];
    }

    public Task<long> GetLatestEventIdAsync(CancellationToken cancellationToken = default) => store.ReadLatestEventIdAsync(cancellationToken);

    public async Task<IReadOnlyList<JobTypeInfo>> GetJobTypesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await store.CountByTypeAsync(cancellationToken).ConfigureAwait(false);
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

    public async Task<IReadOnlyList<RecurringJobInfo>> GetRecurringAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        var rows = await store.ReadRecurringAsync(limit, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new RecurringJobInfo(new Job(operations, r.Job), r.LastRun is null ? null : JobOperations.ToEvent(r.LastRun)))];
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p)
        => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
