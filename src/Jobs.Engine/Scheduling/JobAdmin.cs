using Jobs.Monitoring;
using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Scheduling;

/// <summary>Operator commands. Single actions go through <see cref="JobOperations"/>; bulk actions read a batch, decide each job as a
/// single action would, and store the batch's compare-and-swaps in one transaction.</summary>
// actor: who the events of this instance's actions name; null for the instance DI hands out (DI uses the default).
internal sealed class JobAdmin(JobOperations operations, IJobDriver store, string? actor = null) : IJobAdmin
{
    private readonly string? _actor = actor;

    private const int BatchSize = 200;
    private const int MaxReasons = 10;
    private const int MaxRounds = 3;

    public async Task<Job> RetryAsync(JobTarget target, CancellationToken cancellationToken = default)
        => new(operations, await operations.ApplyAsync(JobAction.Retry, target, cancellationToken, _actor).ConfigureAwait(false));

    public async Task<Job> RunNowAsync(JobTarget target, CancellationToken cancellationToken = default)
        => new(operations, await operations.ApplyAsync(JobAction.RunNow, target, cancellationToken, _actor).ConfigureAwait(false));

    public async Task<Job> CancelAsync(JobTarget target, CancellationToken cancellationToken = default)
        => new(operations, await operations.ApplyAsync(JobAction.Cancel, target, cancellationToken, _actor).ConfigureAwait(false));

    public Task DeleteAsync(JobTarget target, CancellationToken cancellationToken = default)
        => operations.ApplyAsync(JobAction.Delete, target, cancellationToken, _actor);

    public async Task<Job> PauseAsync(JobTarget target, CancellationToken cancellationToken = default)
        => new(operations, await operations.ApplyAsync(JobAction.Pause, target, cancellationToken, _actor).ConfigureAwait(false));

    public async Task<Job> ResumeAsync(JobTarget target, CancellationToken cancellationToken = default)
        => new(operations, await operations.ApplyAsync(JobAction.Resume, target, cancellationToken, _actor).ConfigureAwait(false));

    public IJobAdmin ActingAs(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new JobAdmin(operations, store, StoredText.Clean(actor.Trim(), StoredText.ActorMax));
    }

    public async Task<BulkActionResult> ApplyAsync(JobAction action, IReadOnlyCollection<JobTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckAction(action);
        var tally = new Tally();
        foreach (var chunk in targets.DistinctBy(t => t.JobId).Chunk(BatchSize))
        {
            var byId = chunk.ToDictionary(t => t.JobId);
            var rows = await LoadAsync(byId.Keys, cancellationToken).ConfigureAwait(false);
            foreach (var missing in byId.Keys.Except(rows.Select(r => r.Id)))
            {
                tally.Skip($"Job {missing} no longer exists.");
            }

            await ApplyBatchAsync(action, rows, byId, tally, cancellationToken).ConfigureAwait(false);
        }

        return tally.Result(targets.DistinctBy(t => t.JobId).Count());
    }

    public async Task<BulkActionResult> ApplyAsync(JobAction action, JobQuery filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckAction(action);
        var tally = new Tally();
        var matched = 0;
        var after = long.MinValue;
        while (true)
        {
            // Keyset batches by id: each batch re-applies the filter, so a job acted on earlier never comes round again.
            var rows = await store.FindMatchingAsync(filter, after, BatchSize, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                break;
            }

            matched += rows.Count;
            after = rows[^1].Id;
            await ApplyBatchAsync(action, rows, null, tally, cancellationToken).ConfigureAwait(false);
        }

        return tally.Result(matched);
    }

    private async Task ApplyBatchAsync(
        JobAction action, List<JobRecord> rows, Dictionary<long, JobTarget>? targets, Tally tally, CancellationToken cancellationToken)
    {
        var participle = JobActionWords.PastTense(action);
        for (var round = 0; round < MaxRounds && rows.Count > 0; round++)
        {
            var updates = new List<(JobRecord Job, PlannedChange Change)>();
            foreach (var job in rows)
            {
                if (targets is not null && !targets[job.Id].StillAsSeen(job.Version, job.Status, job.Attempt))
                {
                    tally.Skip(JobOperations.ChangedMeanwhile(job.Id, job.Status, participle).Message);
                    continue;
                }

                try
                {
                    var change = JobOperations.Plan(action, job, operations.Time.GetUtcNow().UtcDateTime, _actor);
                    if (change.Update is not null)
                    {
                        updates.Add((job, change));
                    }
                    else
                    {
                        tally.Applied++; // Nothing left to change, such as a cancel already requested.
                    }
                }
                catch (InvalidJobStateException ex)
                {
                    tally.Skip(ex.Message);
                }
            }

            var now = operations.Time.GetUtcNow().UtcDateTime;
            var won = await store.ApplyAsync([.. updates.Select(u => u.Change.Update!)], now, cancellationToken).ConfigureAwait(false);
            var lost = new List<long>();
            for (var i = 0; i < updates.Count; i++)
            {
                if (won[i])
                {
                    tally.Applied++;
                    operations.AfterWin(updates[i].Change, updates[i].Job);
                }
                else
                {
                    lost.Add(updates[i].Job.Id);
                }
            }

            // A job that moved between the read and the write is read and decided again, a few times at most.
            rows = lost.Count == 0 ? [] : await LoadAsync(lost, cancellationToken).ConfigureAwait(false);
            foreach (var gone in lost.Except(rows.Select(r => r.Id)))
            {
                tally.Skip($"Job {gone} no longer exists.");
            }

            if (round == MaxRounds - 1)
            {
                foreach (var job in rows)
                {
                    tally.Skip(JobOperations.ChangedMeanwhile(job.Id, job.Status, participle).Message);
                }
            }
        }
    }

    private Task<List<JobRecord>> LoadAsync(IEnumerable<long> ids, CancellationToken cancellationToken)
        => store.FindManyAsync([.. ids], cancellationToken);

    private static void CheckAction(JobAction action)
    {
        if (!Enum.IsDefined(action))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action.");
        }
    }

    private sealed class Tally
    {
        private readonly List<string> _reasons = [];

        public int Applied { get; set; }

        public int Skipped { get; private set; }

        public void Skip(string reason)
        {
            Skipped++;
            if (_reasons.Count < MaxReasons)
            {
                _reasons.Add(reason);
            }
        }

        public BulkActionResult Result(int matched) => new(matched, Applied, Skipped, _reasons);
    }
}
