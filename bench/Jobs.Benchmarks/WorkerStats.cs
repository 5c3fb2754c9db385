namespace Jobs.Benchmarks;

/// <summary>What one worker process counted through the engine's Meter.</summary>
/// <param name="FirstSucceededMs">From "go" until the first job's success was counted.</param>
/// <param name="LiveHeapMb">The managed heap after a full collection, once the pool stopped.</param>
internal sealed record WorkerStats(long Claimed, long Transactions, long Succeeded, double? FirstSucceededMs, double? LiveHeapMb = null);
