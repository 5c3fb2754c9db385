namespace Jobs.Storage;

/// <summary>A job event to insert; <see cref="At"/> null means "when stored".</summary>
internal sealed record EventToWrite(long JobId, JobEventKind Kind, int Attempt, string? PoolId, string? Message, JobError? Error, DateTime? At = null, string? Actor = null);
