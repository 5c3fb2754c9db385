using System.Diagnostics.CodeAnalysis;
using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Jobs.Dashboard;

/// <summary>Mounts the dashboard: <c>app.MapJobsDashboard("/jobs")</c>.</summary>
public static class JobsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>Serves the dashboard under <paramref name="path"/> in an app without Blazor of its own: its pages, its assets, the live
    /// hub at <c>{path}/hub</c> and its own Blazor circuit at <c>{path}/_blazor</c>, everything below the path (so a proxy forwarding
    /// only that path works) and relative to the request's path base.</summary>
    /// <remarks>Until an authorization policy is named, in <see cref="JobsDashboardOptions.AuthorizationPolicy"/> or with
    /// <c>.RequireAuthorization(...)</c> on the builder returned here, only requests from the local machine to a loopback host name
    /// (or one in <see cref="JobsDashboardOptions.AllowedHosts"/>) are served. In every mode, a browser request whose <c>Origin</c>
    /// is neither the dashboard's own nor in <see cref="JobsDashboardOptions.AllowedOrigins"/> is refused.</remarks>
    /// <returns>The builder of every dashboard endpoint, so that conventions such as <c>RequireAuthorization</c> reach them all.</returns>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string path = "/jobs")
        => DashboardIcon.Map(DashboardEndpoints.Map(endpoints, path, hostComponents: null));

    /// <summary>Serves the dashboard under <paramref name="path"/> in an app that already uses Blazor Server: the dashboard's pages run on
    /// the app's own circuit endpoint (<c>/_blazor</c>, mapped by <c>MapRazorComponents&lt;App&gt;().AddInteractiveServerRenderMode()</c>),
    /// so no second one is mapped. The app's router is not involved: the dashboard serves its own pages.</summary>
    /// <remarks>The app's circuit endpoint then refuses browser requests from a foreign <c>Origin</c> too (see
    /// <see cref="JobsDashboardOptions.AllowedOrigins"/>), since the dashboard's pages run on it; the app's own pages are untouched.</remarks>
    /// <param name="endpoints">The app.</param>
    /// <param name="path">Where the dashboard lives, such as <c>/jobs</c>.</param>
    /// <param name="hostComponents">The app's own Razor components, whose interactive server render mode the dashboard shares.</param>
    /// <returns>The builder of every dashboard endpoint (not the app's pages), so that conventions reach the dashboard only.</returns>
    public static IEndpointConventionBuilder MapJobsDashboard(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string path, RazorComponentsEndpointConventionBuilder hostComponents)
    {
        ArgumentNullException.ThrowIfNull(hostComponents);
        return DashboardIcon.Map(DashboardEndpoints.Map(endpoints, path, hostComponents));
    }
}
