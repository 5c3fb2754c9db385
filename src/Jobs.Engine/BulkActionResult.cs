namespace Jobs;

/// <summary>What a bulk action did.</summary>
/// <param name="Matched">How many jobs it looked at: the targets given, or the jobs matching the filter.</param>
/// <param name="Applied">How many it changed.</param>
/// <param name="Skipped">How many it left alone: the action did not apply to their state, they changed meanwhile, or they were gone.</param>
/// <param name="Reasons">Why some were skipped, at most ten examples.</param>
public sealed record BulkActionResult(int Matched, int Applied, int Skipped, IReadOnlyList<string> Reasons);
