using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>The audit log: an action taken in the dashboard names the signed-in user in the job's timeline and on the audit
/// page, which links to the job.</summary>
[Collection(DashboardTests.Name)]
public sealed class AuditLogTests(DashboardFixture fixture)
{
    [Fact]
    public async Task CancelFromTheDashboard_SignedInUser_NamedInTheTimelineAndTheAuditLog()
    {
        await using var server = new DashboardServer(
            new Dictionary<string, string?> { ["Jobs:Dashboard:AuthorizationPolicy"] = TestAuthentication.Policy },
            TestAuthentication.AddTo);
        var user = "carol-" + Guid.NewGuid().ToString("N")[..8];
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("audited"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = TestAuthentication.Name, Value = user + ":ops", Url = server.Origin.ToString() }]);

        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await page.TestId("action-cancel").ClickAsync();
        await page.TestId("confirm").ClickAsync();

        var cancelled = page.Locator("[data-testid=timeline-event][data-kind=Cancelled]");
        await Expect(cancelled.Locator("[data-testid=timeline-actor]")).ToHaveTextAsync(user);
        await page.OpenAsync(server.Url("audit"));
        var row = page.TestId("audit-row").Filter(new() { HasText = user });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-testid=audit-job]")).ToHaveTextAsync($"#{job.Id}");
        await Expect(page.Locator(".jobs-nav [aria-current=page]")).ToHaveTextAsync("Audit log");
        await row.Locator("[data-testid=audit-job]").ClickAsync();
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Cancelled");
        Assert.Equal(user, (await server.Monitor.GetAuditLogAsync()).Single(e => e.JobId == job.Id).Actor);
    }
}
