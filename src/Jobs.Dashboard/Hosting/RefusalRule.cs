namespace Jobs.Dashboard.Hosting;

/// <summary>Which access rule refused a dashboard request.</summary>
internal enum RefusalRule
{
    /// <summary>Local-only mode: a forwarding header shows a proxy relayed the request, so its loopback address proves nothing.</summary>
    ForwardingHeader,

    /// <summary>Local-only mode: the request came from another machine.</summary>
    RemoteAddress,

    /// <summary>Local-only mode: the <c>Host</c> is not a loopback name or a configured one (the DNS-rebinding defence).</summary>
    ForeignHost,

    /// <summary>Every mode: a browser page on another origin sent the request (cross-site WebSocket hijacking, cross-site posts).</summary>
    ForeignOrigin,
}
