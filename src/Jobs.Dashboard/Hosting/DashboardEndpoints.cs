using Jobs.Dashboard.Actions;
using Jobs.Dashboard.Components;
using Jobs.Dashboard.Diagnostics;
using Jobs.Dashboard.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Hosting;

/// <summary>Maps the dashboard under one route group: its page (any path below it), its embedded assets, the live hub and, unless the
/// host has its own, the Blazor circuit hub. Conventions put on the returned group reach all of them, and so do the access rules
/// (<see cref="DashboardRequestGuard"/>); a circuit endpoint of the host's that the dashboard runs on gets the Origin rule.</summary>
internal static class DashboardEndpoints
{
    private static readonly string[] GetAndHead = ["GET", "HEAD"];

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string path, RazorComponentsEndpointConventionBuilder? hostComponents)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = Normalize(path);
        var services = endpoints.ServiceProvider;
        if (services.GetService<DashboardActions>() is null)
        {
            throw new InvalidOperationException("The Jobs dashboard's services are missing: call builder.Services.AddJobsDashboard() before mapping it.");
        }

        if (services.GetService<IJobMonitor>() is null)
        {
            throw new InvalidOperationException("The Jobs engine is missing: call builder.Services.AddJobs(...) as well as AddJobsDashboard().");
        }

        var options = services.GetRequiredService<IOptions<JobsDashboardOptions>>().Value;
        var guard = new DashboardRequestGuard(options, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints).FullName!));
        var hostHasBlazor = hostComponents is not null;
        var group = endpoints.MapGroup(root);
        group.MapMethods("/", GetAndHead, (HttpContext context) => Page(context, root, hostHasBlazor)).ExcludeFromDescription();
        group.MapMethods("/{**path}", GetAndHead, (HttpContext context) => Page(context, root, hostHasBlazor)).ExcludeFromDescription();
        group.MapMethods("/assets/{name}", GetAndHead, (HttpContext context, string name) => DashboardAssets.ServeAsync(context, name))
            .ExcludeFromDescription();
        DashboardAssets.PrepareInBackground();
        group.MapHub<JobsDashboardHub>("/hub");
        if (!hostHasBlazor)
        {
            // The circuit of the dashboard's own pages, under its path so that a proxy forwarding only that path reaches it.
            group.MapBlazorHub("/_blazor");
        }

        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }

        ((IEndpointConventionBuilder)group).Finally(endpoint => GuardDashboardEndpoint(endpoint, guard));

        // The dashboard's pages run on the host's circuit: a foreign page must not reach them through it either. Its other
        // access rules stay the host's business, as do its pages.
        hostComponents?.Finally(endpoint => GuardHostCircuitEndpoint(endpoint, guard));
        return group;
    }

    private static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var trimmed = path.Trim().TrimEnd('/');
        if (!trimmed.StartsWith('/') || trimmed.Length < 2 || trimmed.Contains("//", StringComparison.Ordinal)
            || trimmed.IndexOfAny(['{', '}', '?', '#', '*', '\\']) >= 0 || trimmed.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"The dashboard path must be a plain URL path below the root, such as \"/jobs\" (was \"{path}\").", nameof(path));
        }

        return trimmed;
    }

    private static RazorComponentResult<DashboardDocument> Page(HttpContext context, string root, bool hostHasBlazor)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<JobsDashboardOptions>>().Value;
        var pathBase = context.Request.PathBase.ToUriComponent().TrimEnd('/');
        var dashboardRoot = pathBase + root;

        // Blazor resolves its circuit (_blazor) against the document's base: the dashboard's own, or the host's.
        var baseHref = (hostHasBlazor ? pathBase : dashboardRoot) + "/";
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        headers.CacheControl = "no-store";
        return new RazorComponentResult<DashboardDocument>(new Dictionary<string, object?>
        {
            [nameof(DashboardDocument.BaseHref)] = baseHref,
            [nameof(DashboardDocument.Root)] = dashboardRoot,
            [nameof(DashboardDocument.Title)] = options.Title,
            [nameof(DashboardDocument.CanAct)] = !options.ReadOnly,
            [nameof(DashboardDocument.AppHref)] = options.AppPath is { Length: > 0 } app ? pathBase + app : null,
        });
    }

    /// <summary>Until a policy is named (in the options, or with <c>RequireAuthorization</c> on the returned builder), every dashboard
    /// endpoint answers only local requests to a loopback Host; in every mode, no request with a foreign Origin. Runs last, so it
    /// sees the host's conventions.</summary>
    private static void GuardDashboardEndpoint(EndpointBuilder endpoint, DashboardRequestGuard guard)
    {
        if (endpoint.RequestDelegate is not { } inner)
        {
            return;
        }

        var localOnly = !endpoint.Metadata.Any(m => m is IAuthorizeData or AuthorizationPolicy);
        endpoint.RequestDelegate = guard.Guard(inner, localOnly);
    }

    private static void GuardHostCircuitEndpoint(EndpointBuilder endpoint, DashboardRequestGuard guard)
    {
        // The circuit's hub, negotiate, disconnect and initializers endpoints; the host's pages are left alone.
        if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route, RequestDelegate: { } inner }
            && (route.TrimEnd('/') == "/_blazor" || route.StartsWith("/_blazor/", StringComparison.Ordinal)))
        {
            endpoint.RequestDelegate = guard.Guard(inner, localOnly: false);
        }
    }
}
