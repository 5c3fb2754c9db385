using Jobs.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;

namespace Jobs.Tests.Dashboard;

public sealed class DashboardOriginsTests
{
    private static HttpRequest Request(string scheme, string host, params string[] origins)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        if (origins.Length > 0)
        {
            context.Request.Headers.Origin = origins;
        }

        return context.Request;
    }

    [Fact]
    public void Check_NoOrigin_LeftToTheOtherRules()
        => Assert.Null(new DashboardOrigins([]).Check(Request("http", "127.0.0.1:5000")));

    [Theory]
    [InlineData("http", "127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http", "LOCALHOST:5000", "http://localhost:5000")]
    [InlineData("http", "localhost", "http://localhost:80")]
    [InlineData("https", "jobs.example.com", "https://jobs.example.com")]
    [InlineData("https", "jobs.example.com:443", "https://Jobs.Example.com")]
    [InlineData("http", "[::1]:5000", "http://[::1]:5000")]
    public void Check_OwnOrigin_Allowed(string scheme, string host, string origin)
        => Assert.Null(new DashboardOrigins([]).Check(Request(scheme, host, origin)));

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:5001")]              // another app on this machine
    [InlineData("https://127.0.0.1:5000")]             // another scheme
    [InlineData("http://127.0.0.1.evil.example:5000")]
    [InlineData("null")]                                // sandboxed frames, files
    [InlineData("")]
    [InlineData("http://127.0.0.1:5000/jobs")]          // not an origin
    public void Check_ForeignOrigin_RefusedNamingTheOption(string origin)
    {
        var refusal = new DashboardOrigins([]).Check(Request("http", "127.0.0.1:5000", origin));

        Assert.NotNull(refusal);
        Assert.Equal(RefusalRule.ForeignOrigin, refusal.Rule);
        Assert.Contains("JobsDashboardOptions.AllowedOrigins", refusal.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TwoOriginHeaders_Refused()
        => Assert.NotNull(new DashboardOrigins([]).Check(Request("http", "127.0.0.1:5000", "http://127.0.0.1:5000", "http://evil.example")));

    [Fact]
    public void Check_ForeignOrigin_AnswerSaysWhichOrigin()
        => Assert.StartsWith("Origin http://evil.example is not allowed; add it to JobsDashboardOptions.AllowedOrigins",
            new DashboardOrigins([]).Check(Request("http", "127.0.0.1:5000", "http://evil.example"))!.Answer, StringComparison.Ordinal);

    [Theory]
    [InlineData("https://console.example", "https://console.example")]
    [InlineData("https://console.example/", "https://CONSOLE.example:443")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    public void Check_ConfiguredOrigin_Allowed(string configured, string origin)
        => Assert.Null(new DashboardOrigins([configured]).Check(Request("http", "127.0.0.1:5000", origin)));

    [Theory]
    [InlineData("https://console.example", "http://console.example")]
    [InlineData("https://console.example", "https://console.example:8443")]
    [InlineData("https://console.example", "https://sub.console.example")]
    public void Check_OriginCloseToAConfiguredOne_Refused(string configured, string origin)
        => Assert.NotNull(new DashboardOrigins([configured]).Check(Request("http", "127.0.0.1:5000", origin)));

    [Fact]
    public void Check_BehindForwardedHeaders_OwnOriginIsWhatTheMiddlewareSet()
    {
        // UseForwardedHeaders moved the proxy's X-Forwarded-Proto and -Host into the request: the public origin is the own one.
        var origins = new DashboardOrigins([]);

        Assert.Null(origins.Check(Request("https", "jobs.example.com", "https://jobs.example.com")));
        Assert.NotNull(origins.Check(Request("https", "jobs.example.com", "http://127.0.0.1:5000")));
    }

    [Theory]
    [InlineData("https://ops.example.com", true)]
    [InlineData("http://localhost:5173", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("https://ops.example.com/", true)]
    [InlineData("https://ops.example.com/jobs", false)]
    [InlineData("https://ops.example.com?x=1", false)]
    [InlineData("https://user@ops.example.com", false)]
    [InlineData("ops.example.com", false)]
    [InlineData("ftp://ops.example.com", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryNormalize_AbsoluteHttpOriginsOnly(string? value, bool valid)
        => Assert.Equal(valid, DashboardOrigins.TryNormalize(value, out _));
}
