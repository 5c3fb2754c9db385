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
    {
        var refusal = LocalRequests.Check(Request(remote, local));

        Assert.Equal(expected, refusal is null);
        if (!expected)
        {
            Assert.Equal(RefusalRule.RemoteAddress, refusal!.Rule);
            Assert.Equal(remote, refusal.Value);
        }
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("Forwarded")]
    [InlineData("X-Real-IP")]
    public void IsLocal_LoopbackButRelayedByAProxy_False(string header)
    {
        var refusal = LocalRequests.Check(Request("127.0.0.1", "127.0.0.1", (header, "203.0.113.7")));

        // Refused for the header, not for the (loopback) address the proxy connected from.
        Assert.NotNull(refusal);
        Assert.Equal(RefusalRule.ForwardingHeader, refusal.Rule);
        Assert.Equal($"{header}: 203.0.113.7", refusal.Value);
        Assert.Contains(header, refusal.Answer, StringComparison.Ordinal);
        Assert.Contains("UseForwardedHeaders", refusal.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void IsLocal_NoRemoteAddress_False()
        => Assert.Equal(RefusalRule.RemoteAddress, LocalRequests.Check(new DefaultHttpContext())?.Rule);

    [Fact]
    public void Check_ForwardingHeaderWithLineBreaks_ValueSanitisedAndTruncated()
    {
        var refusal = LocalRequests.Check(Request("127.0.0.1", "127.0.0.1", ("X-Forwarded-For", "1.2.3.4\r\nfake log line" + new string('x', 500))));

        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal.Value);
        Assert.DoesNotContain('\r', refusal.Value);
        Assert.StartsWith("X-Forwarded-For: 1.2.3.4??fake log line", refusal.Value, StringComparison.Ordinal);
        Assert.True(refusal.Value.Length < 160, refusal.Value);
    }
}
