using System.Net;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Hosting;

/// <summary>The default access rule: a request is served only when it comes from this machine and was not relayed by a proxy.</summary>
internal static class LocalRequests
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    private const string NamePolicy = "name an authorization policy in JobsDashboardOptions.AuthorizationPolicy (or with RequireAuthorization)";

    /// <summary>Null when the request is local; otherwise why not.</summary>
    public static Refusal? Check(HttpContext context)
    {
        // A proxy on this machine makes every client look local; its forwarding headers give it away. (A host that processes
        // them with UseForwardedHeaders has already moved the client's own address into RemoteIpAddress and removed them.)
        foreach (var header in ForwardingHeaders)
        {
            if (context.Request.Headers.TryGetValue(header, out var value))
            {
                return new Refusal(RefusalRule.ForwardingHeader, $"{header}: {Refusal.Sanitize(value.ToString())}",
                    $"The Jobs dashboard serves direct local requests only, and this one was relayed by a proxy ({header}). Process the " +
                    $"forwarded headers with UseForwardedHeaders, or {NamePolicy}.");
            }
        }

        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && (IPAddress.IsLoopback(remote)
            || context.Connection.LocalIpAddress is { } local && Normalize(remote).Equals(Normalize(local))))
        {
            return null;
        }

        return new Refusal(RefusalRule.RemoteAddress, Refusal.Sanitize(remote?.ToString()),
            $"The Jobs dashboard serves local requests only until the application names an authorization policy: {NamePolicy}.");
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
