using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>The pool registry through EF: beats, goodbyes, stale pools and the jobs they left executing.</summary>
internal sealed class EfPoolRows(SqlSession session)
{
    private StorageProvider Provider => session.Provider;

    public async Task HeartbeatAsync(PoolRecord pool, DateTime now, CancellationToken cancellationToken)
    {
        var db = Provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await Provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            var updated = await db.Pools.Where(p => p.Id == pool.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.HeartbeatAt, now), cancellationToken).ConfigureAwait(false);
            if (updated == 0)
            {
                // First beat, or another pool judged this one dead and removed it: (re-)announce.
                pool.HeartbeatAt = now;
                db.Pools.Add(pool);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Entry(pool).State = EntityState.Detached;
            }

            session.Counted();
        }
    }

    public async Task RemovePoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var db = Provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await Provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            await db.Pools.Where(p => p.Id == poolId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            session.Counted();
        }
    }

    public Task<List<(PoolRecord Pool, int Executing)>> ReadPoolsAsync(CancellationToken cancellationToken) => Provider.ReadAsync(async db =>
    {
        var pools = await db.Pools.AsNoTracking().OrderBy(p => p.StartedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        var busy = await db.Jobs.Where(j => j.Status == JobStatus.Executing && j.PoolId != null)
            .GroupBy(j => j.PoolId!).Select(g => new { Pool = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Pool, g => g.Count, cancellationToken).ConfigureAwait(false);
        return pools.Select(p => (p, busy.GetValueOrDefault(p.Id))).ToList();
    });

    public Task<List<JobRecord>> FindOrphansAsync(DateTime staleBefore, int limit, CancellationToken cancellationToken) => Provider.ReadAsync(db =>
    {
        var alive = db.Pools.Where(p => p.HeartbeatAt >= staleBefore).Select(p => p.Id);
        return db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Executing && (j.PoolId == null || !alive.Contains(j.PoolId)))
            .OrderBy(j => j.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    });

    public async Task<List<PoolRecord>> RemoveStalePoolsAsync(DateTime staleBefore, CancellationToken cancellationToken)
    {
        var db = Provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var stale = await db.Pools.AsNoTracking().Where(p => p.HeartbeatAt < staleBefore).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (stale.Count > 0)
            {
                // Only rows still stale at delete time: a pool that beat meanwhile keeps its row.
                using var writer = await Provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
                await db.Pools.Where(p => p.HeartbeatAt < staleBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                session.Counted();
            }

            return stale;
        }
    }
}
