using System.Net;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class AccessTests(DashboardFixture fixture)
{
    private static readonly string[] DashboardPaths = ["jobs/", "jobs/jobs?status=Failed", "jobs/assets/dashboard.css", "jobs/_blazor/negotiate?negotiateVersion=1", "jobs/hub/negotiate?negotiateVersion=1"];

    [Fact]
    public async Task WithoutPolicy_RequestFromAnotherMachine_RefusedOnEveryEndpoint_LocalServed()
    {
        // The shared server runs behind forwarded-headers processing: X-Forwarded-For from the (local) proxy becomes the client's address.
        var server = fixture.Server;
        using var http = new HttpClient { BaseAddress = new Uri(server.Origin, server.PathBase + "/") };
        foreach (var path in DashboardPaths)
        {
            using var remote = await SendAsync(http, path, ("X-Forwarded-For", "203.0.113.7"));
            Assert.True(remote.StatusCode == HttpStatusCode.Forbidden, $"{path} from 203.0.113.7: {remote.StatusCode}");
        }

        using var local = await SendAsync(http, "jobs/");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        using var localNegotiate = await SendAsync(http, "jobs/hub/negotiate?negotiateVersion=1");
        Assert.Equal(HttpStatusCode.OK, localNegotiate.StatusCode);
    }

    [Fact]
    public async Task WithoutPolicy_ProxiedRequestTheAppDoesNotUnwrap_Refused()
    {
        // No forwarded-headers processing here: a local proxy makes every client look local, and its headers give it away.
        await using var server = new DashboardServer();
        using var http = new HttpClient { BaseAddress = server.Origin };
        foreach (var path in DashboardPaths)
        {
            using var proxied = await SendAsync(http, path, ("X-Forwarded-For", "198.51.100.4"));
            Assert.True(proxied.StatusCode == HttpStatusCode.Forbidden, $"{path} via a proxy: {proxied.StatusCode}");
        }

        using var local = await SendAsync(http, "jobs/");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [Fact]
    public async Task WithPolicy_UnauthenticatedRefused_WrongTeamForbidden_MemberServedFromAnywhere_BrowserWorks()
    {
        await using var server = new DashboardServer(
            new Dictionary<string, string?> { ["Jobs:Dashboard:AuthorizationPolicy"] = TestAuthentication.Policy },
            TestAuthentication.AddTo);
        using var http = new HttpClient { BaseAddress = server.Origin };
        foreach (var path in DashboardPaths)
        {
            using var anonymous = await SendAsync(http, path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path} anonymous: {anonymous.StatusCode}");
            using var dev = await SendAsync(http, path, (TestAuthentication.Name, "bob:dev"));
            Assert.True(dev.StatusCode == HttpStatusCode.Forbidden, $"{path} as a developer: {dev.StatusCode}");
        }

        // The policy replaces the local-only rule: an operator is served from another machine too.
        using var member = await SendAsync(http, "jobs/", (TestAuthentication.Name, "alice:ops"), ("X-Forwarded-For", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = TestAuthentication.Name, Value = "alice:ops", Url = server.Origin.ToString() }]);
        var job = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs("policy-" + Guid.NewGuid().ToString("N")[..8]));
        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Failed");
        await page.TestId("action-retry").ClickAsync();
        await Expect(page.TestId("notice")).ToHaveAttributeAsync("data-kind", "success");
    }

    [Fact]
    public async Task ReadOnly_ShowsNoActionButtons_AndAnActionInvokedAnywayIsRefusedOnTheServer()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Jobs:Dashboard:ReadOnly"] = "true" });
        var failed = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs("ro-" + Guid.NewGuid().ToString("N")[..8]));
        var queued = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("ro"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await server.Client.ScheduleRecurringAsync(E2EJobs.Note, new NoteArgs("ro-recurring"), TimeSpan.FromHours(1),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await Eventually.StatusAsync(server.Client, failed.Id, JobStatus.Failed);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{failed.Id}"));
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Failed");
        await Expect(page.TestId("read-only")).ToBeVisibleAsync();
        await Expect(page.TestId("job-actions")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid^=action-]")).ToHaveCountAsync(0);

        await page.TestId("nav-jobs").ClickAsync();
        await Expect(page.Row(queued.Id)).ToBeVisibleAsync();
        await Expect(page.TestId("bulk-bar")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid^=bulk-], [data-testid^=select-]")).ToHaveCountAsync(0);

        await page.TestId("nav-recurring").ClickAsync();
        await Expect(page.TestId("recurring-row")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid^=recurring-]:not([data-testid=recurring-row]):not([data-testid=recurring-table])")).ToHaveCountAsync(0);
        // No button but the page's own chrome, which changes no job: the narrow-screen menu, the theme toggle and the reconnection
        // line's Retry.
        await Expect(page.Locator("button:not([data-testid=menu-button]):not([data-testid=theme-toggle]):not([data-testid=reconnect-retry])"))
            .ToHaveCountAsync(0);
        await Expect(page.Locator("button")).ToHaveCountAsync(3);

        // Invoked anyway, through the hub any client can reach: refused on the server, and nothing changes.
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(server.Origin, "jobs/hub")).Build();
        await hub.StartAsync();
        var retry = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("Retry", failed.Id, (long?)null));
        Assert.Contains("read-only", retry.Message, StringComparison.Ordinal);
        var cancel = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("Cancel", queued.Id, (long?)queued.Version));
        Assert.Contains("read-only", cancel.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("Delete", queued.Id, (long?)null));

        Assert.Equal(JobStatus.Failed, (await server.Client.GetAsync(failed.Id)).Status);
        Assert.Equal(JobStatus.Queued, (await server.Client.GetAsync(queued.Id)).Status);
        Assert.DoesNotContain(await server.Monitor.GetHistoryAsync(failed.Id), e => e.Kind == JobEventKind.Rescheduled);
    }

    [Fact]
    public async Task BehindProxyWithPathPrefix_PageLinksItsAssetsAndCircuitUnderThePrefix()
    {
        var server = fixture.Server;
        using var http = new HttpClient { BaseAddress = new Uri(server.Origin, server.PathBase + "/") };
        using var response = await SendAsync(http, "jobs/jobs", ("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Prefix", "/edge"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<base href=\"/edge/ops/jobs/\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/edge/ops/jobs/assets/mudblazor.min.css", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/edge/ops/jobs/assets/blazor.web.js", html, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(path.Contains("negotiate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await http.SendAsync(request);
    }
}
