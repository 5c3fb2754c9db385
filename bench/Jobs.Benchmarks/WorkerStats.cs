namespace Jobs.Benchmarks;

/// <summary>What one worker process counted through the engine's Meter.</summary>
internal sealed record WorkerStats(long ClaimsAttempted, long ClaimConflicts, long Transactions, long Succeeded);
