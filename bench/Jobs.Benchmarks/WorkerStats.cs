namespace Jobs.Benchmarks;

/// <summary>What one worker process counted through the engine's Meter.</summary>
internal sealed record WorkerStats(long Claimed, long Transactions, long Succeeded);
