namespace Jobs.Dashboard.Components.JobsList;

/// <summary>What the jobs page shares with its parts (tabs, filters, headers, pager), cascaded rather than passed as
/// parameters: Razor makes components public, and a public component's parameters cannot be of the dashboard's internal types.</summary>
internal sealed class JobsListContext(Action<JobsListQuery> navigate)
{
    /// <summary>The list shown.</summary>
    public JobsListQuery Query { get; set; } = new();

    /// <summary>Jobs per slice of the queued ones, or null before the first read.</summary>
    public IReadOnlyDictionary<JobsView, long>? ViewCounts { get; set; }

    /// <summary>Shows another list (its URL changes, so links and reloads keep it).</summary>
    public void Navigate(JobsListQuery query) => navigate(query);
}
