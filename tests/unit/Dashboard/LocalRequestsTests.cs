using System.Net;
using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;

namespace Jobs.Tests.Dashboard;

public sealed class LocalRequestsTests
{
    private static DefaultHttpContext Request(string remote, string local = "127.0.0.1", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("10.1.2.3", "10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3", true)]
    [InlineData("10.1.2.4", "10.1.2.3", false)]
    [InlineData("203.0.113.7", "127.0.0.1", false)]
    public void IsLocal_ByAddress(string remote, string local, bool expected)
        => Assert.Equal(expected, LocalRequests.IsLocal(Request(remote, local)));

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("Forwarded")]
    [InlineData("X-Real-IP")]
    public void IsLocal_LoopbackButRelayedByAProxy_False(string header)
        => Assert.False(LocalRequests.IsLocal(Request("127.0.0.1", "127.0.0.1", (header, "203.0.113.7"))));

    [Fact]
    public void IsLocal_NoRemoteAddress_False()
        => Assert.False(LocalRequests.IsLocal(new DefaultHttpContext()));
}
