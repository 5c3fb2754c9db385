namespace Jobs.Storage;

internal sealed record NewJob(string Type, string Queue, string? Payload, int Priority, DateTime RunAt, long? IntervalMs, int MaxRetries);
