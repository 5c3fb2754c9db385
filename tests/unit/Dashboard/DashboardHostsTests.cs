using System.Net;
using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;

namespace Jobs.Tests.Dashboard;

public sealed class DashboardHostsTests
{
    private static DefaultHttpContext Request(string host, string local = "127.0.0.1")
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        if (host.Length > 0)
        {
            context.Request.Host = new HostString(host);
        }

        return context;
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5000")]
    [InlineData("LocalHost:5000")]
    [InlineData("localhost.")]
    [InlineData("dashboard.localhost:5000")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("127.8.9.10")]
    [InlineData("[::1]:5000")]
    [InlineData("[::ffff:127.0.0.1]:5000")]
    public void Check_LoopbackName_Allowed(string host)
        => Assert.Null(new DashboardHosts([]).Check(Request(host)));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5000")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("evillocalhost")]
    [InlineData("10.0.0.7")]
    [InlineData("[::2]")]
    [InlineData("")]
    public void Check_ForeignHost_RefusedNamingTheOption(string host)
    {
        var refusal = new DashboardHosts([]).Check(Request(host));

        Assert.NotNull(refusal);
        Assert.Equal(RefusalRule.ForeignHost, refusal.Rule);
        Assert.Contains("JobsDashboardOptions.AllowedHosts", refusal.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ForeignHost_AnswerNamesTheHostWithoutItsPort()
        => Assert.StartsWith("Host evil.example is not allowed", new DashboardHosts([]).Check(Request("evil.example:5000"))!.Answer, StringComparison.Ordinal);

    [Fact]
    public void Check_TheAddressTheRequestArrivedOn_Allowed()
    {
        // An IP address cannot be re-pointed; a request from this machine to its own LAN address is local (LocalRequests).
        Assert.Null(new DashboardHosts([]).Check(Request("10.1.2.3:5000", local: "10.1.2.3")));
        Assert.NotNull(new DashboardHosts([]).Check(Request("10.1.2.4:5000", local: "10.1.2.3")));
    }

    [Theory]
    [InlineData("jobs.internal", "jobs.internal:5000", true)]
    [InlineData("Jobs.Internal", "jobs.internal", true)]
    [InlineData("jobs.internal", "www.jobs.internal", false)]
    [InlineData("*.example.com", "ops.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com:8080", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("10.0.0.7", "10.0.0.7:5000", true)]
    [InlineData("[fd00::7]", "[fd00::7]:5000", true)]
    public void Check_ConfiguredHost(string configured, string host, bool allowed)
        => Assert.Equal(allowed, new DashboardHosts([configured]).Check(Request(host)) is null);

    [Theory]
    [InlineData("jobs.internal", true)]
    [InlineData("*.example.com", true)]
    [InlineData("10.0.0.7", true)]
    [InlineData("[fd00::7]", true)]
    [InlineData("jobs.internal:5000", false)]
    [InlineData("http://jobs.internal", false)]
    [InlineData("jobs.internal/jobs", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidEntry_HostNamesOnly(string? entry, bool valid)
        => Assert.Equal(valid, DashboardHosts.IsValidEntry(entry));
}
