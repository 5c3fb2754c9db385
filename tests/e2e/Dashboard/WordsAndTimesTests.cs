using System.Text.RegularExpressions;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>One word per concept (Finished, Deleted), proper plurals, and times in the browser's zone with UTC on hover.</summary>
[Collection(DashboardTests.Name)]
public sealed partial class WordsAndTimesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task JobPages_FinishedFailedAndDeletedJobs_SayFinishedAndDeletedWithProperPlurals()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "words");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        var body = page.Locator("body");

        await page.OpenAsync(server.Url($"jobs/{jobs.Finished.Id}"));
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Succeeded]")).ToContainTextAsync("Finished");
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Finished");
        await Expect(body).Not.ToContainTextAsync(new Regex("succeeded|attempt\\(s\\)", RegexOptions.IgnoreCase));

        await page.OpenAsync(server.Url($"jobs/{jobs.Failed.Id}"));
        await Expect(page.TestId("job-failure")).ToContainTextAsync("Failed after 1 attempt:");
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Failed]")).ToContainTextAsync("Failed after 1 attempt —");
        await Expect(body).Not.ToContainTextAsync(new Regex(@"\b1 attempts\b|attempt\(s\)|\b1 retries\b"));

        await page.OpenAsync(server.Url($"jobs/{jobs.Queued.Id}"));
        await page.TestId("action-delete").ClickAsync();
        await page.TestId("confirm").ClickAsync();
        await Expect(page.TestId("job-gone")).ToBeVisibleAsync();
        var deleted = page.Locator("[data-testid=timeline-event][data-kind=Destroyed]");
        await Expect(deleted).ToContainTextAsync("Deleted");
        await Expect(deleted.GetByTestId("timeline-detail")).ToHaveTextAsync($"Deleted while Queued ({jobs.Queued.Type} in queue {jobs.Queued.Queue})");
        await Expect(body).Not.ToContainTextAsync(new Regex("destroyed", RegexOptions.IgnoreCase));

        await page.OpenAsync(server.Url(""));
        await Expect(page.TestId("count-Finished")).ToContainTextAsync("Finished");
        await Expect(page.TestId("throughput-chart")).ToContainTextAsync("Finished / s");
        await Expect(body).Not.ToContainTextAsync(new Regex("succeeded", RegexOptions.IgnoreCase));

        await page.OpenAsync(server.Url("jobs"));
        await Expect(page.TestId("status-Finished")).ToContainTextAsync("Finished");
    }

    [Fact]
    public async Task JobWithUnreadablePayload_Detail_SaysNoRetriesRatherThanRetriesLeft()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleAsync(E2EJobs.Unreadable, new UnreadableArgs("unreadable"));
        await Eventually.StatusAsync(server.Client, job.Id, JobStatus.Failed);
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        await page.OpenAsync(server.Url($"jobs/{job.Id}"));

        await Expect(page.TestId("field-attempt")).ToHaveTextAsync("1 of 4 (no retries: the payload cannot be read)");
        await Expect(page.TestId("job-failure")).ToContainTextAsync("Failed after 1 attempt:");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(new Regex(@"retries left|retry left"));
    }

    [Fact]
    public async Task Times_InABrowserInAnotherZone_ShowLocalTimeWithUtcInTheTitleAndHumanDurations()
    {
        var server = fixture.Server;
        var at = new DateTimeOffset(2031, 1, 15, 10, 0, 0, TimeSpan.Zero);
        var later = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("zone"), new JobScheduleOptions { RunAt = at });
        var finished = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("zone-finished"));
        var retrying = await server.Client.ScheduleAsync(E2EJobs.SlowRetry, new NoteArgs("zone-retrying"));
        await Eventually.StatusAsync(server.Client, finished.Id, JobStatus.Finished);
        await Eventually.ValueAsync(() => server.Client.GetAsync(retrying.Id), j => j is { Status: JobStatus.Queued, Attempt: 1 }, "the first attempt to fail");

        // India: +5:30 all year, so the expected text does not depend on the date.
        var (context, page) = await fixture.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = "Asia/Kolkata",
        });
        await using var _ = context;

        await page.OpenAsync(server.Url($"jobs/{later.Id}"));
        var runAt = page.TestId("field-run-at");
        await Expect(runAt).ToHaveTextAsync("2031-01-15 15:30:00 (UTC+5:30)");
        await Expect(runAt).ToHaveAttributeAsync("title", new Regex("^2031-01-15 10:00:00 UTC · in "));
        var scheduledAt = page.Locator("[data-testid=timeline-event][data-kind=Scheduled]").GetByTestId("timeline-when");
        await Expect(scheduledAt).ToHaveTextAsync(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC\+5:30\)$"));
        await Expect(scheduledAt).ToHaveAttributeAsync("title", new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC · "));

        await page.OpenAsync(server.Url($"jobs/{finished.Id}"));
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Succeeded]").GetByTestId("timeline-detail"))
            .ToHaveTextAsync(new Regex(@"^took (\d+ ms|\d+\.\d s|\d+ min \d+ s)$"));

        await page.OpenAsync(server.Url($"jobs/{retrying.Id}"));
        var retry = page.Locator("[data-testid=timeline-event][data-kind=RetryScheduled]").GetByTestId("timeline-detail");
        await Expect(retry).ToContainTextAsync(new Regex(@"^Attempt 1 of 4 failed; retry at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC\+5:30\) — "));
        await Expect(page.TestId("timeline")).Not.ToContainTextAsync(IsoTime());

        await page.OpenAsync(server.Url($"jobs?q=zone"));
        await Expect(page.Row(later.Id).GetByTestId("job-when")).ToHaveAttributeAsync("title", "2031-01-15 15:30:00 (UTC+5:30) · 2031-01-15 10:00:00 UTC");
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
