using System.Net;
using Jobs.Dashboard;
using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Dashboard;

public sealed class DashboardRequestGuardTests
{
    private static readonly DashboardRequestGuard Guard = new(new JobsDashboardOptions(), NullLogger.Instance);

    private static DefaultHttpContext Request(string remote, string host, string? origin = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_LocalRequestToItsOwnOrigin_Served(bool localOnly)
        => Assert.Null(Guard.Check(Request("127.0.0.1", "127.0.0.1:5000", "http://127.0.0.1:5000"), localOnly));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_ForeignOrigin_RefusedInEveryMode(bool localOnly)
        => Assert.Equal(RefusalRule.ForeignOrigin, Guard.Check(Request("127.0.0.1", "127.0.0.1:5000", "http://evil.example"), localOnly)?.Rule);

    [Fact]
    public void Check_LocalOnly_ForeignHostWithItsOwnOrigin_RefusedForTheHost()
        => Assert.Equal(RefusalRule.ForeignHost,
            Guard.Check(Request("127.0.0.1", "evil.example:5000", "http://evil.example:5000"), localOnly: true)?.Rule);

    [Fact]
    public void Check_WithPolicy_HostLeftToThePolicy_Served()
        => Assert.Null(Guard.Check(Request("203.0.113.7", "jobs.example.com", "http://jobs.example.com"), localOnly: false));

    [Fact]
    public void Check_LocalOnly_ProxiedRequest_RefusedForTheHeaderNotTheAddress()
        => Assert.Equal(RefusalRule.ForwardingHeader,
            Guard.Check(Request("127.0.0.1", "127.0.0.1:5000", null, ("X-Forwarded-For", "203.0.113.7")), localOnly: true)?.Rule);

    [Fact]
    public void Check_LocalOnly_AnotherMachine_RefusedForTheAddress()
        => Assert.Equal(RefusalRule.RemoteAddress, Guard.Check(Request("203.0.113.7", "127.0.0.1:5000"), localOnly: true)?.Rule);

    [Fact]
    public void Check_ConfiguredHostAndOrigin_Served()
    {
        var options = new JobsDashboardOptions();
        options.AllowedHosts.Add("jobs.internal");
        options.AllowedOrigins.Add("https://console.example");
        var guard = new DashboardRequestGuard(options, NullLogger.Instance);

        Assert.Null(guard.Check(Request("127.0.0.1", "jobs.internal:5000", "http://jobs.internal:5000"), localOnly: true));
        Assert.Null(guard.Check(Request("127.0.0.1", "127.0.0.1:5000", "https://console.example"), localOnly: true));
    }
}
