using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class FailedJobTests(DashboardFixture fixture)
{
    [Fact]
    public async Task FailingJob_AppearsAmongFailedLive_DetailShowsErrorAndStack_RetryTurnsFinishedLive()
    {
        var server = fixture.Server;
        var key = "fail-" + Guid.NewGuid().ToString("N")[..10];
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?status=Failed&q={key}"));
        await Expect(page.TestId("jobs-empty")).ToBeVisibleAsync();
        await page.MarkDocumentAsync();

        var job = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs(key));

        var row = page.Row(job.Id);
        await Expect(row).ToHaveAttributeAsync("data-status", "Failed");
        await Expect(row).ToContainTextAsync($"Flaky job {key} refused on attempt 1");
        await page.ExpectSameDocumentAsync();

        await row.GetByTestId("job-link").ClickAsync();
        await Expect(page.TestId("job-title")).ToContainTextAsync($"Job #{job.Id}");
        var error = page.TestId("attempt-error");
        await Expect(error.GetByTestId("error-message")).ToHaveTextAsync($"System.InvalidOperationException: Flaky job {key} refused on attempt 1");
        var stack = error.GetByTestId("stack-trace");
        await Expect(stack.Locator("pre")).Not.ToBeVisibleAsync();
        await stack.Locator("summary").ClickAsync();
        await Expect(stack.Locator("pre")).ToBeVisibleAsync();
        await Expect(stack.Locator("pre")).ToContainTextAsync("at Jobs.E2E.Dashboard.Infrastructure.E2EJobs.RunFlakyAsync");
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Failed");
        // Counted words, and no retries promised for a job that has ended.
        await Expect(page.TestId("job-failure")).ToContainTextAsync("Failed after 1 attempt:");
        await Expect(page.TestId("job-fields")).Not.ToContainTextAsync("left");
        await page.ExpectSameDocumentAsync(); // The link navigated inside the circuit.

        E2EJobs.LetSucceed(key);
        await page.TestId("action-retry").ClickAsync();

        await Expect(page.TestId("job-status")).ToHaveTextAsync("Finished");
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Succeeded]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Rescheduled]")).ToHaveCountAsync(1);
        await page.ExpectSameDocumentAsync();
        var stored = await server.Client.GetAsync(job.Id);
        Assert.Equal(JobStatus.Finished, stored.Status);
    }
}
