namespace Jobs;

/// <summary>How long the most recent successful attempts took.</summary>
/// <param name="Count">How many attempts the figures cover.</param>
/// <param name="Average">The mean duration.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="Max">The longest.</param>
public sealed record JobDurationStats(int Count, TimeSpan Average, TimeSpan Median, TimeSpan P95, TimeSpan Max);
