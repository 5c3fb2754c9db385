using System.Net;
using Jobs.E2E.Dashboard.Infrastructure;
using static Jobs.E2E.Security.SecurityRequests;

namespace Jobs.E2E.Security;

/// <summary>DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and then talks to the dashboard as its own
/// origin, from the loopback address, with <c>Host: evil.example</c>. In local-only mode only loopback names (or configured ones)
/// are served.</summary>
[Collection(DashboardTests.Name)]
public sealed class DnsRebindingTests(DashboardFixture fixture)
{
    private static readonly string[] DashboardPaths =
        ["jobs/", "jobs/jobs?status=Failed", "jobs/assets/dashboard.css", "jobs/_blazor/negotiate?negotiateVersion=1", "jobs/hub/negotiate?negotiateVersion=1"];

    [Fact]
    public async Task LocalOnly_ForeignHostFromLoopback_Refused403NamingAllowedHosts()
    {
        var server = fixture.Server;
        foreach (var path in DashboardPaths)
        {
            using var response = await SendAsync(server, path, ("Host", "evil.example"));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} with Host evil.example: {response.StatusCode}");
            var reason = await response.Content.ReadAsStringAsync();
            Assert.Contains("Host evil.example is not allowed", reason, StringComparison.Ordinal);
            Assert.Contains("JobsDashboardOptions.AllowedHosts", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LocalOnly_HubWebSocketWithForeignHostAndItsOwnOrigin_Refused_DeleteNeverRuns()
    {
        var server = fixture.Server;
        var job = await ScheduleLaterAsync(server);
        var rebound = $"evil.example:{server.Origin.Port}";

        var status = await RawHubSocket.TryDeleteAsync(HubUrl(server), "http://" + rebound, job.Id, rebound);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(JobStatus.Queued, (await server.Client.GetAsync(job.Id)).Status);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("dashboard.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("[::1]")]
    public async Task LocalOnly_LoopbackHostName_Served(string host)
    {
        var server = fixture.Server;

        using var response = await SendAsync(server, "jobs/", ("Host", $"{host}:{server.Origin.Port}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LocalOnly_AllowedHostsEntry_PageAndHubServed_OtherHostsStillRefused()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Jobs:Dashboard:AllowedHosts:0"] = "jobs.test" });
        var named = $"jobs.test:{server.Origin.Port}";

        using var page = await SendAsync(server, "jobs/", ("Host", named));
        var (hub, socket) = await RawHubSocket.ConnectAsync(HubUrl(server), "http://" + named, named);
        socket?.Dispose();
        using var other = await SendAsync(server, "jobs/", ("Host", "evil.example"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, hub);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }
}
