using System.Collections.Concurrent;
using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sql;

/// <summary>Named leases through EF: each take or renewal is one compare-and-swap on the lease's row, so of two pools asking
/// at once exactly one holds it.</summary>
internal sealed class EfLeases(SqlSession session)
{
    private StorageProvider Provider => session.Provider;

    // Leases whose row is known to exist, so that pools that do not hold one ask with one statement per turn.
    private readonly ConcurrentDictionary<string, bool> _rowsSeen = new(StringComparer.Ordinal);

    public async Task<bool> TryTakeAsync(string name, string holder, DateTime now, TimeSpan period, CancellationToken cancellationToken)
    {
        var until = now + period;
        var db = Provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await Provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            var taken = await db.Leases
                .Where(l => l.Name == name && (l.Holder == holder || l.Holder == null || l.ExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), cancellationToken)
                .ConfigureAwait(false);
            session.Counted();
            if (taken > 0 || _rowsSeen.ContainsKey(name))
            {
                _rowsSeen[name] = true;
                return taken > 0;
            }

            if (await db.Leases.AnyAsync(l => l.Name == name, cancellationToken).ConfigureAwait(false))
            {
                _rowsSeen[name] = true;
                return false;
            }

            // The first pool ever to ask creates the row; of two racing, the primary key lets one in.
            db.Leases.Add(new LeaseRecord { Name = name, Holder = holder, ExpiresAt = until });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                session.Counted();
                _rowsSeen[name] = true;
                return true;
            }
            catch (DbUpdateException)
            {
                return false; // Another pool created it first, or the database went away: either way this pool does not lead now.
            }
        }
    }

    /// <summary>Gives the lease up at once (a pool stopping cleanly), so the next pool need not wait for it to expire.</summary>
    public async Task ResignAsync(string name, string holder, DateTime now, CancellationToken cancellationToken)
    {
        var db = Provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            using var writer = await Provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            await db.Leases.Where(l => l.Name == name && l.Holder == holder)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAt, now), cancellationToken)
                .ConfigureAwait(false);
            session.Counted();
        }
    }
}
