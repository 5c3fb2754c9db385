using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobs.Dashboard;

/// <summary>The dashboard's tab icon at <c>{path}/favicon.svg</c>, embedded like its other assets. It has its own endpoint because
/// the asset endpoint serves stylesheets and scripts only, and an SVG icon must come as <c>image/svg+xml</c> to be drawn.</summary>
internal static class DashboardIcon
{
    public const string Path = "favicon.svg";

    public static EmbeddedAsset Asset { get; } = DashboardAssets.LoadResource("Jobs.Dashboard.favicon.svg", "image/svg+xml");

    /// <summary>Maps the icon on the dashboard's route group, so the group's access rules cover it too.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder group)
    {
        group.MapMethods("/" + Path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Asset.ServeAsync(context, DashboardAssets.Version))
            .ExcludeFromDescription();
        return group;
    }
}
