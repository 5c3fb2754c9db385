using Jobs.Dashboard.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jobs.Dashboard.Hosting;

/// <summary>Runs the access rules in front of a dashboard endpoint, and answers a refused request with 403, a plain-text reason
/// naming the fix, and a log line naming the rule and the offending value.</summary>
internal sealed class DashboardRequestGuard(JobsDashboardOptions options, ILogger logger)
{
    private readonly DashboardOrigins _origins = new(options.AllowedOrigins);
    private readonly DashboardHosts _hosts = new(options.AllowedHosts);

    /// <summary>While no policy is named (<paramref name="localOnly"/>): from this machine, not through a proxy, to a loopback or
    /// configured Host. In every mode: no foreign Origin.</summary>
    public Refusal? Check(HttpContext context, bool localOnly)
        => (localOnly ? LocalRequests.Check(context) ?? _hosts.Check(context) : null) ?? _origins.Check(context.Request);

    public RequestDelegate Guard(RequestDelegate inner, bool localOnly)
        => context => Check(context, localOnly) is { } refusal ? RefuseAsync(context, refusal) : inner(context);

    private Task RefuseAsync(HttpContext context, Refusal refusal)
    {
        var path = Refusal.Sanitize(context.Request.PathBase.Add(context.Request.Path).Value);
        switch (refusal.Rule)
        {
            case RefusalRule.ForwardingHeader:
                Log.ForwardedRefused(logger, refusal.Value, path);
                break;
            case RefusalRule.RemoteAddress:
                Log.RemoteRefused(logger, refusal.Value, path);
                break;
            case RefusalRule.ForeignHost:
                Log.HostRefused(logger, refusal.Value, path);
                break;
            default:
                Log.OriginRefused(logger, refusal.Value, Refusal.Sanitize($"{context.Request.Scheme}://{context.Request.Host.Value}"), path);
                break;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(refusal.Answer, context.RequestAborted);
    }
}
