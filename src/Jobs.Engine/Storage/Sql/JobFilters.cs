using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>Turns a <see cref="JobQuery"/> into SQL through EF, shared by listings and bulk actions so both select the same jobs.</summary>
internal static class JobFilters
{
    public static IQueryable<JobRecord> Where(IQueryable<JobRecord> jobs, JobQuery query, StorageProvider provider)
    {
        if (query.Status is { } status)
        {
            jobs = jobs.Where(j => j.Status == status);
        }

        if (!string.IsNullOrEmpty(query.Type))
        {
            var type = query.Type;
            jobs = jobs.Where(j => j.Type == type);
        }

        if (!string.IsNullOrEmpty(query.Queue))
        {
            var queue = query.Queue;
            jobs = jobs.Where(j => j.Queue == queue);
        }

        if (query.Recurring is { } recurring)
        {
            jobs = recurring ? jobs.Where(j => j.IntervalMs != null) : jobs.Where(j => j.IntervalMs == null);
        }

        if (query.RunAtAfter is { } after)
        {
            var at = after.UtcDateTime;
            jobs = jobs.Where(j => j.RunAt > at);
        }

        if (query.MinAttempt is { } attempts)
        {
            jobs = jobs.Where(j => j.Attempt >= attempts);
        }

        if (query.Search?.Trim() is { Length: > 0 } term)
        {
            jobs = jobs.Where(JobSearch.Matching(term, provider));
        }

        return jobs;
    }

    public static IOrderedQueryable<JobRecord> Order(IQueryable<JobRecord> jobs, JobSort sort, bool descending) => (sort, descending) switch
    {
        (JobSort.Id, false) => jobs.OrderBy(j => j.Id),
        (JobSort.Id, true) => jobs.OrderByDescending(j => j.Id),
        (JobSort.RunAt, false) => jobs.OrderBy(j => j.RunAt).ThenBy(j => j.Id),
        (JobSort.RunAt, true) => jobs.OrderByDescending(j => j.RunAt).ThenByDescending(j => j.Id),
        (JobSort.Priority, false) => jobs.OrderBy(j => j.Priority).ThenBy(j => j.Id),
        (JobSort.Priority, true) => jobs.OrderByDescending(j => j.Priority).ThenByDescending(j => j.Id),
        (_, false) => jobs.OrderByDescending(j => j.Priority).ThenBy(j => j.RunAt).ThenBy(j => j.Id),
        (_, true) => jobs.OrderBy(j => j.Priority).ThenByDescending(j => j.RunAt).ThenByDescending(j => j.Id),
    };
}
