using System.Net;
using Jobs.E2E.Dashboard.Infrastructure;
using static Jobs.E2E.Security.SecurityRequests;

namespace Jobs.E2E.Security;

/// <summary>Cross-site WebSocket hijacking: a browser lets any page open a WebSocket to the dashboard (sending the page's Origin and
/// the operator's cookies), so the hub and the circuit must refuse an Origin that is not the dashboard's own.</summary>
[Collection(DashboardTests.Name)]
public sealed class CrossSiteWebSocketTests(DashboardFixture fixture)
{
    [Theory]
    [InlineData(Evil)]
    [InlineData("http://127.0.0.1:1")] // Another app on this machine: same host, another port.
    [InlineData("null")]               // A sandboxed frame or a file.
    public async Task HubWebSocket_ForeignOrigin_Refused_DeleteNeverRuns(string origin)
    {
        var server = fixture.Server;
        var job = await ScheduleLaterAsync(server);

        var status = await RawHubSocket.TryDeleteAsync(HubUrl(server), origin, job.Id);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(JobStatus.Queued, (await server.Client.GetAsync(job.Id)).Status);
    }

    [Fact]
    public async Task HubWebSocket_OtherScheme_Refused()
    {
        var server = fixture.Server;
        var (status, socket) = await RawHubSocket.ConnectAsync(HubUrl(server), "https://" + server.Origin.Authority);
        socket?.Dispose();

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task HubWebSocket_OwnOrigin_Accepted_DeleteRuns()
    {
        var server = fixture.Server;
        var job = await ScheduleLaterAsync(server);

        var (status, socket) = await RawHubSocket.ConnectAsync(HubUrl(server), OwnOrigin(server));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        using (socket)
        {
            Assert.True(await socket!.HandshakeAsync());
            using var completion = await socket.InvokeAsync("Delete", job.Id, null);
            Assert.Equal($"Job {job.Id} deleted.", completion.RootElement.GetProperty("result").GetString());
        }

        await Assert.ThrowsAsync<JobNotFoundException>(() => server.Client.GetAsync(job.Id));
    }

    [Theory]
    [InlineData("jobs/hub/negotiate?negotiateVersion=1")]
    [InlineData("jobs/_blazor/negotiate?negotiateVersion=1")]
    public async Task Negotiate_ForeignOrigin_Refused403NamingTheOption_OwnOriginServed(string path)
    {
        var server = fixture.Server;

        using var foreign = await SendAsync(server, path, ("Origin", Evil));
        using var own = await SendAsync(server, path, ("Origin", OwnOrigin(server)));

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("text/plain", foreign.Content.Headers.ContentType?.MediaType);
        var reason = await foreign.Content.ReadAsStringAsync();
        Assert.Contains($"Origin {Evil} is not allowed", reason, StringComparison.Ordinal);
        Assert.Contains("JobsDashboardOptions.AllowedOrigins", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task CircuitWebSocket_ForeignOrigin_Refused_OwnOriginAccepted()
    {
        var server = fixture.Server;

        var (foreign, foreignSocket) = await RawHubSocket.ConnectAsync(CircuitUrl(server), Evil);
        foreignSocket?.Dispose();
        var (own, ownSocket) = await RawHubSocket.ConnectAsync(CircuitUrl(server), OwnOrigin(server));
        ownSocket?.Dispose();

        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own);
    }

    [Fact]
    public async Task HubWebSocket_NoOrigin_LeftToTheAccessRule_Accepted()
    {
        // Non-browser clients (the .NET SignalR client) send no Origin; browsers always do on a WebSocket.
        var server = fixture.Server;

        var (status, socket) = await RawHubSocket.ConnectAsync(HubUrl(server), origin: null);
        socket?.Dispose();

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
    }

    [Fact]
    public async Task HubWebSocket_AllowedOriginsEntry_Accepted_OthersStillRefused()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Jobs:Dashboard:AllowedOrigins:0"] = "https://console.example" });
        var job = await ScheduleLaterAsync(server);

        var (allowed, socket) = await RawHubSocket.ConnectAsync(HubUrl(server), "https://console.example");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, allowed);
        using (socket)
        {
            Assert.True(await socket!.HandshakeAsync());
            using var completion = await socket.InvokeAsync("RunNow", job.Id, null);
            Assert.True(completion.RootElement.TryGetProperty("result", out _), completion.RootElement.ToString());
        }

        var (other, otherSocket) = await RawHubSocket.ConnectAsync(HubUrl(server), "https://console.example.evil.example");
        otherSocket?.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, other);
    }

    [Fact]
    public async Task WithPolicy_ForeignOrigin_RefusedForAMember_OwnOriginAccepted()
    {
        await using var server = new DashboardServer(
            new Dictionary<string, string?> { ["Jobs:Dashboard:AuthorizationPolicy"] = TestAuthentication.Policy },
            TestAuthentication.AddTo);
        var job = await ScheduleLaterAsync(server);
        var member = (TestAuthentication.Name, "alice:ops");

        var (foreign, foreignSocket) = await RawHubSocket.ConnectAsync(HubUrl(server), Evil, null, member);
        if (foreignSocket is not null)
        {
            using (foreignSocket)
            {
                await foreignSocket.HandshakeAsync();
                (await foreignSocket.InvokeAsync("Delete", job.Id, null)).Dispose();
            }
        }

        using var negotiate = await SendAsync(server, "jobs/hub/negotiate?negotiateVersion=1", member, ("Origin", Evil));
        using var circuit = await SendAsync(server, "jobs/_blazor/negotiate?negotiateVersion=1", member, ("Origin", Evil));
        var (own, ownSocket) = await RawHubSocket.ConnectAsync(HubUrl(server), OwnOrigin(server), null, member);
        ownSocket?.Dispose();

        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, circuit.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own);
        Assert.Equal(JobStatus.Queued, (await server.Client.GetAsync(job.Id)).Status);
    }
}
