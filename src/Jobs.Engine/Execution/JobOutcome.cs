using Jobs.Storage.Model;

namespace Jobs.Execution;

/// <summary>How an attempt ended, waiting to be stored by the completer.</summary>
internal sealed record JobOutcome(
    JobRecord Job,
    long Version,
    string PoolId,
    OutcomeKind Kind,
    DateTime At,
    JobError? Error = null,
    DateTime? RetryAt = null,
    TimeSpan? Elapsed = null,
    int? ProgressPercent = null,
    string? ProgressMessage = null,
    string? Message = null);
