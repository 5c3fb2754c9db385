using System.Threading.Channels;
using Jobs.Diagnostics;
using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>Stores outcomes in batches: one transaction for everything that ended since the last write, which also claims
/// the next jobs for the workers those outcomes freed. An outcome whose compare-and-swap loses is re-read and decided
/// again, so a late worker never overwrites a cancel, destroy or rescue.</summary>
// settled is called with the claimed job once its outcome is stored or known to be superseded: from then on the database
// no longer says this pool executes that attempt.
internal sealed class Completer(JobStore store, JobSignal signal, TimeProvider time, ILogger logger, IWorkerSlots slots, Action<JobRecord> settled)
{
    private const int MaxBatch = 512;
    private const int GatherYields = 2;
    private readonly Channel<JobOutcome> _outcomes = Channel.CreateUnbounded<JobOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _discard;

    /// <summary>Takes the outcome of a worker's attempt, and with it that worker's slot (see <see cref="IWorkerSlots"/>).</summary>
    public void Post(JobOutcome outcome)
    {
        if (!_outcomes.Writer.TryWrite(outcome) && !_discard)
        {
            throw new InvalidOperationException("The completer is closed.");
        }
    }

    public void Complete() => _outcomes.Writer.TryComplete();

    /// <summary>Drops whatever is not stored yet; used only to simulate a crash.</summary>
    public void Discard()
    {
        _discard = true;
        _outcomes.Writer.TryComplete();
    }

    /// <summary>Runs until the outcome channel is completed and every outcome is stored, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var batch = new List<JobOutcome>(MaxBatch);
        var failures = 0;
        while (true)
        {
            if (batch.Count == 0 && !await _outcomes.Reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                return;
            }

            // Outcomes of one claimed batch arrive within microseconds of each other: letting the workers that are about to
            // post theirs run first turns many one-row transactions into one, without waiting on a timer.
            for (var i = 0; i < GatherYields; i++)
            {
                await Task.Yield();
            }

            while (batch.Count < MaxBatch && _outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            if (_discard)
            {
                return;
            }

            try
            {
                var unrun = await StoreAsync(batch, abort).ConfigureAwait(false);
                batch.Clear();
                batch.AddRange(unrun);
                failures = 0;
            }
            catch (Exception ex) when (!abort.IsCancellationRequested)
            {
                // Keep the batch: outcomes are retried until the database takes them, never dropped.
                failures++;
                Log.CompleteFailed(logger, ex, batch.Count);
                await Task.Delay(Backoff.For(failures), time, abort).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stores the batch; returns Released outcomes for jobs it claimed that no worker will run (the pool is
    /// stopping), to be stored next.</summary>
    private async Task<List<JobOutcome>> StoreAsync(List<JobOutcome> batch, CancellationToken cancellationToken)
    {
        var unrun = new List<JobOutcome>();
        var updates = batch.Select(Transitions.For).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        bool[] won;
        if (slots.RefillRequest(batch.Count) is { } claim)
        {
            slots.Claiming();
            IReadOnlyList<JobRecord>? claimed = null;
            var attempted = 0;
            try
            {
                (won, attempted, claimed) = await store.ApplyAndClaimAsync(updates, claim, now, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var job in slots.Claimed(batch.Count, attempted, claimed))
                {
                    unrun.Add(new JobOutcome(job, job.Version, claim.PoolId, OutcomeKind.Released, now,
                        Message: "Pool stopped before a worker took the job; released to the queue"));
                }
            }
        }
        else
        {
            won = await store.ApplyAsync(updates, now, cancellationToken).ConfigureAwait(false);
            slots.Release(batch.Count);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!won[i])
            {
                await ResolveConflictAsync(batch[i], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                WakeForNextRun(batch[i]);
            }

            settled(batch[i].Job);
        }

        return unrun;
    }

    /// <summary>A retry or the next run of a recurring job is due soon: let this process's fetcher know instead of waiting for a poll.</summary>
    private void WakeForNextRun(JobOutcome outcome)
    {
        if (outcome.Kind == OutcomeKind.Retry && outcome.RetryAt is { } retryAt)
        {
            signal.Notify(retryAt);
        }
        else if (outcome.Kind is OutcomeKind.Succeeded or OutcomeKind.Failed && outcome.Job.IntervalMs is { } ms)
        {
            signal.Notify(Transitions.NextOccurrence(outcome.Job.ScheduledAt, ms, outcome.At));
        }
        else if (outcome.Kind is OutcomeKind.Released or OutcomeKind.Rescued)
        {
            signal.Notify(outcome.At);
        }
    }

    private async Task ResolveConflictAsync(JobOutcome outcome, CancellationToken cancellationToken)
    {
        for (var round = 0; round < 10; round++)
        {
            var row = await store.FindAsync(outcome.Job.Id, cancellationToken).ConfigureAwait(false);
            if (row is null || row.Status != JobStatus.Executing || row.PoolId != outcome.PoolId || row.Attempt != outcome.Job.Attempt)
            {
                Log.OutcomeSuperseded(logger, outcome.Job.Id, outcome.Kind.ToString(), row?.Status.ToString() ?? "destroyed", row?.PoolId);
                return;
            }

            // The row is still this attempt's; it moved because of a progress write or an operator's cancel request.
            var decided = row.CancelRequested && outcome.Kind != OutcomeKind.Cancelled
                ? outcome with { Kind = OutcomeKind.Cancelled, Version = row.Version, Error = null, RetryAt = null }
                : outcome with { Version = row.Version };
            var won = await store.ApplyAsync([Transitions.For(decided)], time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            if (won[0])
            {
                WakeForNextRun(decided);
                return;
            }
        }
    }
}
