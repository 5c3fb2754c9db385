using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Hosting;

/// <summary>The defence against cross-site WebSocket hijacking and cross-site posts, in every access mode. A browser lets any page
/// open a WebSocket to the dashboard or post to it, with the operator's cookies; it cannot stop the page from doing so, but it
/// always says whose page it is in <c>Origin</c>. So a request that carries an Origin is served only when that is the dashboard's
/// own (the scheme, host and port of the request, as the host's forwarded-headers processing left them) or one in
/// <see cref="JobsDashboardOptions.AllowedOrigins"/>. Clients that are not browsers send no Origin and are left to the access rules.</summary>
internal sealed class DashboardOrigins(IEnumerable<string> allowed)
{
    private readonly FrozenSet<string> _allowed =
        allowed.Select(a => TryNormalize(a, out var origin) ? origin : null).OfType<string>().ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Null when the request carries no Origin, its own, or an allowed one; otherwise why it is refused.</summary>
    public Refusal? Check(HttpRequest request)
    {
        var values = request.Headers.Origin;
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1 && TryNormalize(values[0], out var origin)
            && (_allowed.Contains(origin) || TryNormalize($"{request.Scheme}://{request.Host.ToUriComponent()}", out var own) && origin == own))
        {
            return null;
        }

        var shown = Refusal.Sanitize(values.ToString());
        return new Refusal(RefusalRule.ForeignOrigin, shown,
            $"Origin {shown} is not allowed; add it to JobsDashboardOptions.AllowedOrigins if its pages may use the dashboard.");
    }

    /// <summary>An absolute http(s) origin, <c>scheme://host[:port]</c> (a trailing slash is tolerated), as one comparable string:
    /// lower case, the host in its ASCII form, the port always written.</summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? origin)
    {
        origin = null;
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.Host.Length == 0)
        {
            return false;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        origin = $"{uri.Scheme}://{host.ToLowerInvariant()}:{uri.Port}";
        return true;
    }
}
