namespace Jobs.Storage;

internal sealed record EventToWrite(long JobId, JobEventKind Kind, int Attempt, string? PoolId, string? Message, JobError? Error);
