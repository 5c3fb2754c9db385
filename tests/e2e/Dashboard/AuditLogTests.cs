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
        var row = page.TestId("event-row").Filter(new() { HasText = user });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-testid=event-job]")).ToHaveTextAsync($"#{job.Id}");
        await Expect(page.Locator(".jobs-nav [aria-current=page]")).ToHaveTextAsync("Audit log");
        await row.Locator("[data-testid=event-job]").ClickAsync();
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Cancelled");
        Assert.Equal(user, (await server.Monitor.GetAuditLogAsync()).Single(e => e.JobId == job.Id).Actor);
    }

    [Fact]
    public async Task DeleteFromTheDashboard_DeletedJobsPage_ListsItNewestFirstWithItsTypeAndLinksToItsHistory()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("to delete"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await page.TestId("action-delete").ClickAsync();
        await page.TestId("confirm").ClickAsync();
        await Expect(page.TestId("job-gone")).ToBeVisibleAsync();

        await page.OpenAsync(server.Url("jobs"));
        await page.TestId("status-Deleted").ClickAsync();
        var newest = page.TestId("event-row").First;
        await Expect(newest.Locator("[data-testid=event-job]")).ToHaveTextAsync($"#{job.Id}");
        await Expect(newest.Locator("[data-testid=event-detail]")).ToHaveTextAsync($"Deleted while Queued ({E2EJobs.Note} in queue {job.Queue})");
        await Expect(page.Locator(".jobs-nav [aria-current=page]")).ToHaveTextAsync("Jobs");
        await newest.Locator("[data-testid=event-job]").ClickAsync();
        await Expect(page.TestId("job-gone")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Destroyed]")).ToHaveCountAsync(1);
    }
}
