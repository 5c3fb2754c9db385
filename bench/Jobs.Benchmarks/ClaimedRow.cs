namespace Jobs.Benchmarks;

/// <summary>A row the raw-SQL ceiling claimed: what its completion compares and records.</summary>
internal sealed record ClaimedRow(long Id, long Version, int Attempt);
