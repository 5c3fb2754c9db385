namespace Jobs.Dashboard;

/// <summary>Options of the dashboard. Bound from the configuration section <c>Jobs:Dashboard</c>, then <c>AddJobsDashboard(o => ...)</c>
/// runs; validated when the host starts.</summary>
public sealed class JobsDashboardOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Jobs:Dashboard";

    /// <summary>The authorization policy every dashboard request must satisfy: pages, the live hub, the Blazor circuit and assets.
    /// While no policy is named here or with <c>MapJobsDashboard(...).RequireAuthorization(...)</c>, only requests from the local
    /// machine are served. Default: none.</summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Shows everything and changes nothing: action buttons are hidden and every action is refused on the server. Default: false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>How often the live feed reads new job events from the database (50 ms to 1 minute). Pages and the hub update within
    /// about this long of any change, in any process. Default: 250 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How far back the throughput chart of the overview reaches (1 minute to 1 hour). Default: 5 minutes.</summary>
    public TimeSpan ThroughputWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows per page of the jobs list (5 to 500). Default: 25.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>Counts shown on the overview and the jobs list stop at this many (1,000 to 100,000,000) and read "10,000+"
    /// beyond it: counting every row of a table of millions on each refresh would cost the database more than the
    /// dashboard is worth (each count reads up to this many index entries, and after heavy churn a heap page per entry).
    /// Default: 10,000.</summary>
    public long CountLimit { get; set; } = 10_000;

    /// <summary>The title of the dashboard pages. Default: <c>Jobs</c>.</summary>
    public string Title { get; set; } = "Jobs";

    /// <summary>A link back to the application, shown in the top bar; relative to the host's path base. Default: none.</summary>
    public string? AppPath { get; set; }
}
