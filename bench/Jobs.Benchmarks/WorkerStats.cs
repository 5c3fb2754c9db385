namespace Jobs.Benchmarks;

/// <summary>What one worker process counted through the engine's Meter.</summary>
/// <param name="FirstSucceededMs">From "go" until the first job's success was counted.</param>
internal sealed record WorkerStats(long Claimed, long Transactions, long Succeeded, double? FirstSucceededMs);
