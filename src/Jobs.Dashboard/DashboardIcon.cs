using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobs.Dashboard;

/// <summary>The dashboard's tab icon at <c>{path}/favicon.svg</c>, embedded like its other assets. It has its own endpoint because
/// the asset endpoint serves stylesheets and scripts only, and an SVG icon must come as <c>image/svg+xml</c> to be drawn.</summary>
internal static class DashboardIcon
{
    public const string Path = "favicon.svg";

    private static readonly byte[] Content = Load();

    /// <summary>Maps the icon on the dashboard's route group, so the group's access rules cover it too.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder group)
    {
        group.MapMethods("/" + Path, [HttpMethods.Get, HttpMethods.Head], ServeAsync).ExcludeFromDescription();
        return group;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "image/svg+xml";
        response.ContentLength = Content.Length;
        response.Headers.XContentTypeOptions = "nosniff";

        // Browsers ask for the icon on every first load of a tab; it only changes with a new build, whose URL differs (?v=).
        response.Headers.CacheControl = "public, max-age=86400";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(Content, context.RequestAborted);
        }
    }

    private static byte[] Load()
    {
        using var stream = typeof(DashboardIcon).Assembly.GetManifestResourceStream("Jobs.Dashboard.favicon.svg")
            ?? throw new InvalidOperationException("The dashboard's icon is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
