using System.Globalization;
using System.Security.Claims;
using Jobs.Dashboard.Actions;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary><c>HidePayloads</c>: no payload in the list or on a job's page (not even in the markup) until "Reveal payload", which
/// only a caller allowed to act gets, and which the server refuses to anyone else.</summary>
[Collection(DashboardTests.Name)]
public sealed class HidePayloadsTests(DashboardFixture fixture)
{
    [Fact]
    public async Task HidePayloads_AllowedCaller_HiddenInListAndDetailUntilRevealed()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Jobs:Dashboard:HidePayloads"] = "true" });
        var secret = "secret-" + Guid.NewGuid().ToString("N")[..10];
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs(secret), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        await page.OpenAsync(server.Url($"jobs?q={job.Id.ToString(CultureInfo.InvariantCulture)}"));
        await Expect(page.Row(job.Id)).ToContainTextAsync("hidden");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("payload-hidden")).ToBeVisibleAsync();
        await Expect(page.TestId("job-payload")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await page.TestId("reveal-payload").ClickAsync();
        await Expect(page.TestId("job-payload")).ToContainTextAsync(secret);
        await Expect(page.TestId("payload-hidden")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task HidePayloads_ReadOnly_NoRevealButtonAndRevealRefusedOnTheServer()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?>
        {
            ["Jobs:Dashboard:HidePayloads"] = "true",
            ["Jobs:Dashboard:ReadOnly"] = "true",
        });
        var secret = "secret-" + Guid.NewGuid().ToString("N")[..10];
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs(secret), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("payload-hidden")).ToBeVisibleAsync();
        await Expect(page.TestId("reveal-payload")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // What the page's button would call, had a client forged the click: the server's own check refuses it.
        var actions = server.Services.GetRequiredService<DashboardActions>();
        var refused = await Assert.ThrowsAsync<DashboardAccessDeniedException>(() =>
            actions.RevealPayloadAsync(new DashboardCaller(new ClaimsPrincipal(), AccessGranted: false), job.Id, CancellationToken.None));
        Assert.Equal("Refused: the dashboard is read-only.", refused.Message);
    }

    [Fact]
    public async Task HidePayloads_UserOutsideThePolicy_RevealRefusedOnTheServer()
    {
        await using var server = new DashboardServer(
            new Dictionary<string, string?>
            {
                ["Jobs:Dashboard:HidePayloads"] = "true",
                ["Jobs:Dashboard:AuthorizationPolicy"] = TestAuthentication.Policy,
            },
            TestAuthentication.AddTo);
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("policy"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var actions = server.Services.GetRequiredService<DashboardActions>();
        static ClaimsPrincipal User(string team) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob"), new Claim("team", team)], TestAuthentication.SchemeName));

        // A circuit outlives the request that opened it: the policy is checked again for the user at the moment of the reveal.
        var outside = await Assert.ThrowsAsync<DashboardAccessDeniedException>(() =>
            actions.RevealPayloadAsync(new DashboardCaller(User("dev"), AccessGranted: true), job.Id, CancellationToken.None));
        Assert.Contains($"does not satisfy the policy '{TestAuthentication.Policy}'", outside.Message, StringComparison.Ordinal);
        Assert.Contains("policy", await actions.RevealPayloadAsync(new DashboardCaller(User("ops"), AccessGranted: true), job.Id, CancellationToken.None),
            StringComparison.Ordinal);
    }
}
