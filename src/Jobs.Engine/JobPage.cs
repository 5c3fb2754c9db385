namespace Jobs;

/// <summary>One page of a job listing.</summary>
/// <param name="Items">The jobs on this page.</param>
/// <param name="Total">How many jobs match the filter in all.</param>
public sealed record JobPage(IReadOnlyList<Job> Items, long Total);
