using System.ComponentModel;
using Jobs.Scheduling;
using Jobs.States;
using Jobs.Storage.Model;

namespace Jobs;

/// <summary>A handle on a stored job: a snapshot of its state, and the operations that change it.
/// The snapshot is as of the last load or <see cref="RefreshAsync"/>.</summary>
public sealed class Job
{
    private readonly JobOperations _operations;
    private JobRecord _record;

    internal Job(JobOperations operations, JobRecord record)
    {
        _operations = operations;
        _record = record;
    }

    /// <summary>The job id.</summary>
    public long Id => _record.Id;

    /// <summary>The job type name.</summary>
    public string Type => _record.Type;

    /// <summary>The queue.</summary>
    public string Queue => _record.Queue;

    /// <summary>The payload as stored (JSON), or null for a type without payload.</summary>
    public string? Payload => _record.Payload;

    /// <summary>The state.</summary>
    public JobStatus Status => _record.Status;

    /// <summary>Higher runs first.</summary>
    public int Priority => _record.Priority;

    /// <summary>When the next attempt may start (UTC).</summary>
    public DateTimeOffset RunAt => new(_record.RunAt, TimeSpan.Zero);

    /// <summary>For a recurring job, the time between runs; null for a one-off job.</summary>
    public TimeSpan? Interval => _record.IntervalMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>The number of the current or last attempt; 0 before the first.</summary>
    public int Attempt => _record.Attempt;

    /// <summary>How many times a failed attempt of this job is retried.</summary>
    public int MaxRetries => _record.MaxRetries;

    /// <summary>How many retries are left: a failure of the current or next attempt is retried while this is above 0.</summary>
    public int RetriesLeft => _record.Attempt == 0 ? _record.MaxRetries : Math.Max(0, _record.MaxRetries + 1 - _record.Attempt);

    /// <summary>When the current or last attempt started (UTC).</summary>
    public DateTimeOffset? StartedAt => _record.StartedAt is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>When the last attempt ended (UTC).</summary>
    public DateTimeOffset? FinishedAt => _record.FinishedAt is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>How long the last completed attempt ran; null while none has completed.</summary>
    public TimeSpan? Duration => _record is { StartedAt: { } s, FinishedAt: { } f } && f >= s && _record.Status != JobStatus.Executing ? f - s : null;

    /// <summary>When the job was stored (UTC).</summary>
    public DateTimeOffset CreatedAt => new(_record.CreatedAt, TimeSpan.Zero);

    /// <summary>The pool running it, or that ran its last attempt.</summary>
    public string? PoolId => _record.PoolId;

    /// <summary>The error of the last failed attempt, if any: a short copy (message up to 2,000 characters, text up to 8,000);
    /// each attempt's whole error is in <see cref="GetHistoryAsync"/>.</summary>
    public JobError? LastError => _record.LastErrorType is { } type
        ? new JobError(type, _record.LastErrorMessage ?? "", _record.LastErrorStackTrace ?? "")
        : null;

    /// <summary>The last progress the handler reported (0 to 100).</summary>
    public int? ProgressPercent => _record.ProgressPercent;

    /// <summary>The message of the last progress report (up to 500 characters).</summary>
    public string? ProgressMessage => _record.ProgressMessage;

    /// <summary>True when cancellation was requested while the job executes.</summary>
    public bool CancelRequested => _record.CancelRequested;

    /// <summary>The row version this snapshot was read at; any change to the job moves it.</summary>
    public long Version => _record.Version;

    /// <summary>True when <paramref name="action"/> applies to the job as this snapshot shows it, so that <see cref="IJobAdmin"/> carries
    /// it out unless the job changed since; what to offer an operator. An action already under way counts as applying: cancelling a
    /// job whose cancellation is requested succeeds and changes nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not a defined action.</exception>
    public bool Can(JobAction action) => JobStateMachine.Decide(action, JobState.Of(_record)).Allowed;

    /// <summary>Reloads the state.</summary>
    /// <exception cref="JobNotFoundException">The job no longer exists.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
        => _record = await _operations.LoadAsync(Id, cancellationToken).ConfigureAwait(false);

    /// <summary>Cancels the job: a queued job never runs; an executing job's token is cancelled and it ends cancelled (paused, if a pause
    /// was requested).</summary>
    /// <exception cref="InvalidJobStateException">The job already ended, is paused, or was deleted.</exception>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
        => _record = await _operations.CancelAsync(Id, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Sets the time of the next run. A job that ended (finished, failed, cancelled) or is paused is queued again with a fresh
    /// retry budget.</summary>
    /// <exception cref="InvalidJobStateException">The job is executing or was deleted.</exception>
    public async Task RescheduleAsync(DateTimeOffset runAt, CancellationToken cancellationToken = default)
        => _record = await _operations.RescheduleAsync(Id, runAt, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes the job; if it is executing, its token is cancelled. Its history is kept.</summary>
    /// <exception cref="InvalidJobStateException">The job was already deleted.</exception>
    public Task DeleteAsync(CancellationToken cancellationToken = default)
        => _operations.DeleteAsync(Id, null, cancellationToken);

    /// <summary>The former name of <see cref="DeleteAsync"/>, which it calls.</summary>
    [Obsolete("Use DeleteAsync: Delete is the one word for removing a job, as in IJobAdmin.DeleteAsync and JobAction.Delete.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task DestroyAsync(CancellationToken cancellationToken = default) => DeleteAsync(cancellationToken);

    /// <summary>The job's history, oldest first.</summary>
    public Task<IReadOnlyList<JobEvent>> GetHistoryAsync(CancellationToken cancellationToken = default)
        => _operations.GetHistoryAsync(Id, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"Job {Id} ({Type}, {Status}, attempt {Attempt})";
}
