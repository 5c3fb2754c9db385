using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Hosting;

/// <summary>The DNS-rebinding defence of local-only mode. A page on evil.example can re-point its own name at 127.0.0.1 and then
/// reach the dashboard from the loopback address, as its own origin; only the <c>Host</c> it sends gives it away. So a local-only
/// dashboard answers loopback names, IP addresses this request arrived on (a literal address cannot be re-pointed) and the names
/// in <see cref="JobsDashboardOptions.AllowedHosts"/>.</summary>
internal sealed class DashboardHosts
{
    private readonly FrozenSet<string> _names;
    private readonly string[] _suffixes;

    public DashboardHosts(IEnumerable<string> allowed)
    {
        var entries = allowed.Select(Normalize).Where(e => e.Length > 0).ToList();
        _names = entries.Where(e => !e.StartsWith("*.", StringComparison.Ordinal)).ToFrozenSet(StringComparer.Ordinal);
        _suffixes = [.. entries.Where(e => e.StartsWith("*.", StringComparison.Ordinal)).Select(e => e[1..])];
    }

    /// <summary>An entry of <see cref="JobsDashboardOptions.AllowedHosts"/>: a host name or IP address (IPv6 in brackets), or
    /// <c>*.</c> and a name for its subdomains.</summary>
    public static bool IsValidEntry(string? entry)
    {
        var name = entry?.Trim() ?? "";
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            return IPAddress.TryParse(name[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    /// <summary>Null when the request's <c>Host</c> may be served in local-only mode; otherwise why not.</summary>
    public Refusal? Check(HttpContext context)
    {
        var host = context.Request.Host;
        if (host.HasValue && IsAllowed(host.Host, context.Connection.LocalIpAddress))
        {
            return null;
        }

        var name = Refusal.Sanitize(host.HasValue ? host.Host : null);
        return new Refusal(RefusalRule.ForeignHost, Refusal.Sanitize(host.Value),
            $"Host {name} is not allowed: until an authorization policy is named, the Jobs dashboard answers loopback host names only. " +
            $"If {name} is this machine, add it to JobsDashboardOptions.AllowedHosts.");
    }

    private bool IsAllowed(string host, IPAddress? localAddress)
    {
        var name = Normalize(host);
        if (IsLoopbackName(name) || _names.Contains(name) || _suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal) && name.Length > s.Length))
        {
            return true;
        }

        return localAddress is not null && TryParseLiteral(name, out var literal) && literal.Equals(LocalRequests.Normalize(localAddress));
    }

    /// <summary><c>localhost</c> and its subdomains (browsers resolve them to loopback themselves, never through DNS), and any
    /// loopback IP literal: 127.x.x.x, [::1].</summary>
    private static bool IsLoopbackName(string host)
    {
        var name = Normalize(host);
        return name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal)
            || TryParseLiteral(name, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Lower case, without the trailing dot of a fully qualified name, which browsers keep in the <c>Host</c>.</summary>
    private static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    private static bool TryParseLiteral(string host, out IPAddress address)
    {
        // IPv6 literals come bracketed in Host; an unbracketed one would carry its port ambiguously, so it is not taken.
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (IPAddress.TryParse(bracketed ? host[1..^1] : host, out var parsed)
            && parsed.AddressFamily == (bracketed ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
        {
            address = LocalRequests.Normalize(parsed);
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
