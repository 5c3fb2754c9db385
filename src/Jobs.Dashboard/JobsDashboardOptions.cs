using System.ComponentModel.DataAnnotations;

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

    /// <summary>Origins (<c>scheme://host[:port]</c>) besides the dashboard's own whose pages may use it: open the hub's or the circuit's
    /// WebSocket, negotiate, post. In every access mode a browser request with any other <c>Origin</c> is refused, so that a page on
    /// another site cannot act on the dashboard with the operator's cookies or from their machine (cross-site WebSocket hijacking).
    /// The own origin is the scheme, host and port of the request, as the host's forwarded-headers processing left them.
    /// Requests without an Origin (clients that are not browsers) are left to the other rules. Default: empty (the own origin only).</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Host names that a local-only dashboard (no policy named) answers besides loopback ones: exact, such as
    /// <c>jobs.internal</c>, or <c>*.example.com</c> for its subdomains; no scheme, port or path. Any other <c>Host</c> is refused, so
    /// that a page whose name was re-pointed at this machine (DNS rebinding) cannot use the dashboard. Once a policy is named this
    /// rule no longer applies. Default: empty (loopback names only: <c>localhost</c>, <c>*.localhost</c>, 127.x.x.x, <c>[::1]</c>,
    /// and the IP address the request arrived on).</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Shows everything and changes nothing: action buttons are hidden and every action is refused on the server. Default: false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Hides job payloads (they may hold personal data or secrets): the jobs list shows none, and a job's page shows its
    /// payload only on a "Reveal payload" click, offered to callers allowed to act and checked on the server like an action
    /// (read-only mode, the access decision, the policy), and logged with the user's name. Default: false.</summary>
    public bool HidePayloads { get; set; }

    /// <summary>How often the live feed reads new job events from the database (50 ms to 1 minute). Pages and the hub update within
    /// about this long of any change, in any process. Default: 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How far back the throughput chart of the overview reaches (1 minute to 1 hour). Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ThroughputWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows per page of the jobs list until the operator picks another size (5 to 500). Default: 25.</summary>
    [Range(5, 500)]
    public int PageSize { get; set; } = 25;

    /// <summary>Counts shown on the overview and the jobs list stop at this many (1,000 to 100,000,000) and read "10,000+"
    /// beyond it: counting every row of a table of millions on each refresh would cost the database more than the
    /// dashboard is worth (each count reads up to this many index entries, and after heavy churn a heap page per entry).
    /// Default: 10,000.</summary>
    [Range(typeof(long), "1000", "100000000")]
    public long CountLimit { get; set; } = 10_000;

    /// <summary>The title of the dashboard pages. Default: <c>Jobs</c>.</summary>
    public string Title { get; set; } = "Jobs";

    /// <summary>A link back to the application, shown in the top bar; relative to the host's path base. Default: none.</summary>
    public string? AppPath { get; set; }
}
