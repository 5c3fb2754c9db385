using System.Net;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Hosting;

/// <summary>The default access rule: a request is served only when it comes from this machine and was not relayed by a proxy.</summary>
internal static class LocalRequests
{
    public static bool IsLocal(HttpContext context)
    {
        // A proxy on this machine makes every client look local; its forwarding headers give it away. (A host that processes
        // them with UseForwardedHeaders has already moved the client's own address into RemoteIpAddress and removed them.)
        var headers = context.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded") || headers.ContainsKey("X-Real-IP"))
        {
            return false;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (IPAddress.IsLoopback(remote))
        {
            return true;
        }

        var local = context.Connection.LocalIpAddress;
        return local is not null && Normalize(remote).Equals(Normalize(local));
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
