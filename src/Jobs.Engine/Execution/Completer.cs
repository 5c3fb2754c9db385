using System.Threading.Channels;
using Jobs.Diagnostics;
using Jobs.Scheduling;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>Stores outcomes in batches: one transaction for everything that ended since the last write, which also claims
/// the next jobs for the workers those outcomes freed. An outcome whose compare-and-swap loses is re-read and decided
/// again, so a late worker never overwrites a cancel, delete or rescue. A batch the database refuses (as opposed to a
/// database that is away) is stored one outcome at a time, so one value it cannot take never holds back the others.</summary>
// settled is called with the claimed job once its outcome is stored or known to be superseded: from then on the database
// no longer says this pool executes that attempt.
internal sealed class Completer(IJobDriver store, JobSignal signal, TimeProvider time, ILogger logger, IWorkerSlots slots, Action<JobRecord> settled, DatabaseOutage outage, TestSignals signals)
{
    private const int MaxBatch = 512;
    private const int GatherYields = 2;

    /// <summary>How often one outcome the database refuses is tried alone before its text is replaced by a note saying why
    /// it could not be stored: a refusal of the value itself (encoding, size, constraint) does not pass by waiting.</summary>
    internal const int RefusedAttempts = 3;

    /// <summary>Compare-and-swap losses in a row before an outcome waits for the next round: each loss is a real change
    /// (progress, a cancel request), so this only bounds a row that keeps changing.</summary>
    private const int ConflictRounds = 16;

    private readonly Channel<JobOutcome> _outcomes = Channel.CreateUnbounded<JobOutcome>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Takes the outcome of a worker's attempt, and with it that worker's slot (see <see cref="IWorkerSlots"/>).</summary>
    public void Post(JobOutcome outcome)
    {
        if (!_outcomes.Writer.TryWrite(outcome))
        {
            throw new InvalidOperationException("The completer is closed.");
        }
    }

    public void Complete() => _outcomes.Writer.TryComplete();

    /// <summary>Runs until the outcome channel is completed and every outcome is stored, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var batch = new List<JobOutcome>(MaxBatch); // Hold their workers' slots until written.
        var singles = new List<JobOutcome>();        // Slots already returned: conflicts, and outcomes of a refused batch.
        var failures = 0;
        while (true)
        {
            if (batch.Count == 0 && singles.Count == 0 && !await _outcomes.Reader.WaitToReadAsync(abort).ConfigureAwait(false))
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

            try
            {
                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch, singles, abort).ConfigureAwait(false);
                }

                await StoreSinglesAsync(singles, abort).ConfigureAwait(false);
                if (failures > 0)
                {
                    outage.Answered();
                }

                failures = 0;
            }
            catch (Exception ex) when (!abort.IsCancellationRequested)
            {
                // The database is away: keep everything, retry until it answers, never drop an outcome.
                failures++;
                var delay = Backoff.For(failures);
                if (!outage.Failed("completer", ex, delay))
                {
                    Log.CompleteFailed(logger, ex, batch.Count + singles.Count);
                }

                await Task.Delay(delay, time, abort).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the batch in one transaction. On return the batch holds Released outcomes for jobs it claimed that no
    /// worker will run (the pool is stopping), and <paramref name="singles"/> what must be decided one by one.</summary>
    private async Task WriteBatchAsync(List<JobOutcome> batch, List<JobOutcome> singles, CancellationToken cancellationToken)
    {
        var unrun = new List<JobOutcome>();
        bool[] won;
        try
        {
            won = await ApplyAndRefillAsync(batch, unrun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !store.IsTransient(ex))
        {
            // Some outcome holds a value the database refuses; which one is learnt by storing each alone.
            Log.BatchRefused(logger, ex, batch.Count);
            slots.Release(batch.Count);
            singles.AddRange(batch);
            batch.Clear();
            return;
        }

        signals.Stored.Signal(static won => won.Count(w => w), won);
        for (var i = 0; i < batch.Count; i++)
        {
            if (won[i])
            {
                WakeForNextRun(batch[i]);
                settled(batch[i].Job);
            }
            else
            {
                singles.Add(batch[i]);
            }
        }

        batch.Clear();
        batch.AddRange(unrun);
    }

    private async Task<bool[]> ApplyAndRefillAsync(List<JobOutcome> batch, List<JobOutcome> unrun, CancellationToken cancellationToken)
    {
        var updates = batch.Select(Transitions.For).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        if (slots.RefillRequest(batch.Count) is not { } claim)
        {
            var applied = await store.ApplyAsync(updates, now, cancellationToken).ConfigureAwait(false);
            slots.Release(batch.Count);
            return applied;
        }

        slots.Claiming();
        IReadOnlyList<JobRecord>? claimed = null;
        try
        {
            bool[] won;
            (won, claimed) = await store.ApplyAndClaimAsync(updates, claim, now, cancellationToken).ConfigureAwait(false);
            return won;
        }
        finally
        {
            foreach (var job in slots.Claimed(batch.Count, claimed))
            {
                unrun.Add(new JobOutcome(job, job.Version, claim.PoolId, OutcomeKind.Released, now,
                    Message: "Pool stopped before a worker took the job; released to the queue"));
            }
        }
    }

    /// <summary>Decides and stores each outcome alone; removes those that are done. Throws when the database is away,
    /// leaving the rest for the next round.</summary>
    private async Task StoreSinglesAsync(List<JobOutcome> singles, CancellationToken cancellationToken)
    {
        while (singles.Count > 0)
        {
            if (!await StoreOneAsync(singles[0], cancellationToken).ConfigureAwait(false))
            {
                return; // The row keeps changing: try again next round.
            }

            singles.RemoveAt(0);
        }
    }

    /// <summary>Re-reads the row, decides the outcome for what it finds and stores it; true once the outcome is stored, known
    /// to be superseded, or given up after the database refused even its plain form.</summary>
    private async Task<bool> StoreOneAsync(JobOutcome outcome, CancellationToken cancellationToken)
    {
        var current = outcome;
        var refused = 0;
        var fallback = false;
        for (var round = 0; round < ConflictRounds; round++)
        {
            try
            {
                var row = await store.FindAsync(outcome.Job.Id, cancellationToken).ConfigureAwait(false);
                if (row is null || row.Status != JobStatus.Executing || row.PoolId != outcome.PoolId || row.Attempt != outcome.Job.Attempt)
                {
                    Log.OutcomeSuperseded(logger, outcome.Job.Id, outcome.Kind.ToString(), row?.Status.ToString() ?? "deleted", row?.PoolId);
                    settled(outcome.Job);
                    return true;
                }

                // The row is still this attempt's; it moved because of a progress write or an operator's cancel or pause request.
                var kind = JobStateMachine.AfterLostSwap(current.Kind, JobState.Of(row));
                current = kind != current.Kind
                    ? current with { Kind = kind, Version = row.Version, Error = null, RetryAt = null }
                    : current with { Version = row.Version };
                var won = await store.ApplyAsync([Transitions.For(current)], time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
                if (won[0])
                {
                    signals.Stored.Signal(1);
                    WakeForNextRun(current);
                    settled(outcome.Job);
                    return true;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !store.IsTransient(ex))
            {
                if (++refused < RefusedAttempts)
                {
                    continue;
                }

                if (fallback)
                {
                    // Nothing of the user's is left in it, yet the database refuses it: give the job up to the heartbeat,
                    // which releases what this pool no longer tracks.
                    Log.OutcomeLost(logger, ex, outcome.Job.Id, outcome.Kind.ToString());
                    settled(outcome.Job);
                    return true;
                }

                Log.OutcomeRefused(logger, ex, outcome.Job.Id, outcome.Kind.ToString(), refused);
                current = Plain(current, ex);
                fallback = true;
                refused = 0;
            }
        }

        return false;
    }

    /// <summary>The outcome without the user's text, and with a note on why the database would not take it.</summary>
    private static JobOutcome Plain(JobOutcome outcome, Exception refusal)
    {
        var reason = $"{refusal.GetType().Name}: {refusal.Message}";
        var error = outcome.Error is not { } e ? null : new JobError(
            StoredText.Clean(e.Type, 200),
            $"The error of this attempt could not be stored (the database refused it: {StoredText.Clean(reason, 300)}); it began: {StoredText.Clean(e.Message ?? string.Empty, 500)}",
            string.Empty);
        return outcome with { Error = error, ProgressMessage = null, Message = null };
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
}
