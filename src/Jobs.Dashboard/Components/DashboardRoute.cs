using System.Globalization;

namespace Jobs.Dashboard.Components;

/// <summary>The dashboard's own routing: the page a URL below the dashboard root shows. The dashboard does not use the host's
/// router, so it can live under any path, in any host.</summary>
internal sealed record DashboardRoute(DashboardPage Page, long JobId, string Query)
{
    public static DashboardRoute Parse(string absoluteUri, string root)
    {
        var uri = new Uri(absoluteUri);
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var relative = path.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? path[root.Length..] : path;
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = uri.Query;
        return segments switch
        {
            [] => new(DashboardPage.Overview, 0, query),
            ["jobs"] => new(DashboardPage.Jobs, 0, query),
            ["jobs", var id] when long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) => new(DashboardPage.Job, jobId, query),
            ["recurring"] => new(DashboardPage.Recurring, 0, query),
            ["pools"] => new(DashboardPage.Pools, 0, query),
            ["types"] => new(DashboardPage.Types, 0, query),
            ["audit"] => new(DashboardPage.Audit, 0, query),
            ["deleted"] => new(DashboardPage.Deleted, 0, query),
            _ => new(DashboardPage.NotFound, 0, query),
        };
    }
}
