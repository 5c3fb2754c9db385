using Jobs.Diagnostics;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobs.Storage.Sql;

/// <summary>Rewrites payloads stored before the <c>ReadablePayloads</c> migration, when the default serializer options wrote
/// every non-ASCII character, quote and apostrophe as a <c>\uXXXX</c> escape that search cannot see through, into the form
/// payloads are stored in now (<see cref="PayloadJson"/>). Runs at start-up once the schema is current; its progress is kept
/// in <c>job_data_migrations</c>, so it resumes after an interruption and costs one lookup once done.</summary>
/// <remarks>Each rewrite is a compare-and-swap on the row's version, like every other write of a job, so it never overwrites a
/// change made meanwhile: a row that moved is read again and rewritten from its new state. The new payload is the same JSON
/// value, so a pool running the job meanwhile only sees its version move, as after an operator's cancel request: it stores
/// its outcome through the usual conflict resolution, but progress it reports after that is not stored until the attempt
/// ends. Pools starting together may rewrite side by side; they skip what the other did.</remarks>
internal sealed class PayloadRewriter(StorageProvider provider, SqlWrites writes, TimeProvider time, ILogger logger)
{
    /// <summary>The row the migration inserted: it holds the newest job id of that moment, so later rows are not scanned.</summary>
    public const string Name = "readable-payloads";

    // Ids scanned per statement: the scan walks the primary key, so each statement reads at most this many rows.
    private const int IdsPerBatch = 2_000;

    private const int MaxRounds = 5;

    // A LIKE pattern for "holds \u" (escape \): rows without one are already in the stored form.
    private const string EscapedPattern = @"%\\u%";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var rewritten = 0;
        var started = false;
        while (await ReadProgressAsync(cancellationToken).ConfigureAwait(false) is { } progress && progress.DoneThroughId < progress.LastId)
        {
            if (!started)
            {
                Log.PayloadRewriteStarted(logger, provider.Name, progress.DoneThroughId, progress.LastId);
                started = true;
            }

            var through = Math.Min(progress.LastId, progress.DoneThroughId + IdsPerBatch);
            var rows = await FindEscapedAsync(progress.DoneThroughId, through, cancellationToken).ConfigureAwait(false);
            rewritten += await RewriteAsync(rows, cancellationToken).ConfigureAwait(false);
            await RecordProgressAsync(through, cancellationToken).ConfigureAwait(false);
        }

        if (started)
        {
            Log.PayloadsRewritten(logger, provider.Name, rewritten);
        }
    }

    /// <summary>Rewrites <paramref name="rows"/> (id, payload and version as read) that are not in the stored form, each as a
    /// compare-and-swap; a row that changed since it was read is read again and retried. Returns how many were rewritten.</summary>
    internal async Task<int> RewriteAsync(IReadOnlyList<JobRecord> rows, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        var pending = rows;
        for (var round = 0; round < MaxRounds; round++)
        {
            var updates = new List<JobUpdate>();
            foreach (var row in pending)
            {
                if (row.Payload is { } payload && PayloadJson.Readable(payload) is var readable && !ReferenceEquals(readable, payload))
                {
                    updates.Add(new JobUpdate(row.Id, row.Version, JobChange.PayloadRewritten(readable)));
                }
            }

            if (updates.Count == 0)
            {
                return rewritten;
            }

            var won = await writes.ApplyAsync(updates, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            rewritten += won.Count(w => w);
            var moved = updates.Where((_, i) => !won[i]).Select(u => u.JobId).ToList();
            pending = moved.Count == 0 ? [] : await ReadAsync(moved, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in pending)
        {
            Log.PayloadRewriteGaveUp(logger, row.Id, MaxRounds);
        }

        return rewritten;
    }

    private async Task<DataMigrationRecord?> ReadProgressAsync(CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.DataMigrations.AsNoTracking().FirstOrDefaultAsync(m => m.Name == Name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<JobRecord>> FindEscapedAsync(long after, long through, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Jobs.AsNoTracking()
                .Where(j => j.Id > after && j.Id <= through && EF.Functions.Like(j.Payload!, EscapedPattern, StorageProvider.LikeEscape))
                .OrderBy(j => j.Id)
                .Select(j => new JobRecord { Id = j.Id, Payload = j.Payload, Version = j.Version })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<JobRecord>> ReadAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))
                .Select(j => new JobRecord { Id = j.Id, Payload = j.Payload, Version = j.Version })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordProgressAsync(long through, CancellationToken cancellationToken)
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            // Only forward: a pool that got further meanwhile keeps its mark.
            using var writer = await provider.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
            await db.DataMigrations.Where(m => m.Name == Name && m.DoneThroughId < through)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DoneThroughId, through), cancellationToken).ConfigureAwait(false);
        }
    }
}
