using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>Counts above the dashboard's CountLimit read as "limit+" everywhere a count is shown.</summary>
[Collection(DashboardTests.Name)]
public sealed class CountLimitTests(DashboardFixture fixture)
{
    [Fact]
    public async Task OverviewAndJobsList_MoreJobsThanCountLimit_ShowTheLimitWithAPlus()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Jobs:Dashboard:CountLimit"] = "1000" });
        var later = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) }; // Stays queued: nothing runs it.
        await server.Client.ScheduleManyAsync(Enumerable.Range(0, 1001).Select(i => JobRequest.Create(E2EJobs.Note, new NoteArgs($"many-{i}"), later)));
        var cancelled = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("few"), later);
        await cancelled.CancelAsync();

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.DashboardUrl);
        await Expect(page.TestId("count-Queued")).ToContainTextAsync("1,000+");
        await Expect(page.TestId("count-Cancelled")).ToContainTextAsync("1");

        await page.OpenAsync(server.Url("jobs?status=Queued"));
        await Expect(page.TestId("status-Queued")).ToContainTextAsync("1,000+");
        await Expect(page.TestId("status-All")).ToContainTextAsync("1,001+");
        await Expect(page.TestId("page-info")).ToHaveTextAsync("1–25 of 1,000+");

        // Past the end of a list counted only up to the limit: which page is last is not known, so the page says where it is.
        await page.OpenAsync(server.Url("jobs?status=Queued&page=99999"));
        await Expect(page.TestId("jobs-past-end")).ToBeVisibleAsync();
        await Expect(page.TestId("page-info")).ToHaveTextAsync("No jobs on this page, 1,000+ in all");
        await Expect(page.TestId("job-row")).ToHaveCountAsync(0);
        await page.TestId("page-first").ClickAsync();
        await Expect(page.TestId("page-info")).ToHaveTextAsync("1–25 of 1,000+");
        Assert.DoesNotContain("page=", page.Url, StringComparison.Ordinal);
    }
}
