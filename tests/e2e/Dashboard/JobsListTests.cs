using System.Globalization;
using System.Text.RegularExpressions;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>The jobs list: live updates held still, selection that follows its jobs, the Scheduled and Retrying views, page sizes
/// and sorting by column.</summary>
[Collection(DashboardTests.Name)]
public sealed partial class JobsListTests(DashboardFixture fixture)
{
    private static readonly JobScheduleOptions Later = new() { RunAt = DateTimeOffset.UtcNow.AddHours(1) };

    [Fact]
    public async Task PauseLiveUpdates_NewJobArrives_RowsHoldStillUntilResumedAndTheSelectionStaysOnItsJob()
    {
        var server = fixture.Server;
        var run = "pause" + Guid.NewGuid().ToString("N")[..8];
        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-{i}"), Later));
        }

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(3);
        await page.Row(jobs[1].Id).GetByTestId("select-job").CheckAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("1 selected");

        await page.TestId("live-pause").ClickAsync();
        await Expect(page.TestId("live-pause")).ToHaveAttributeAsync("aria-pressed", "true");
        var arrived = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-new"), Later);

        // The change is counted, and the refresh it would have caused has passed: the list still shows what it showed.
        await Expect(page.TestId("live-waiting")).ToHaveTextAsync(new Regex(@"^Paused: [\d,]+ changes? waiting$"));
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Row(arrived.Id)).ToHaveCountAsync(0);
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", jobs[2].Id.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Row(jobs[1].Id).GetByTestId("select-job")).ToBeCheckedAsync();

        await page.TestId("live-pause").ClickAsync();
        await Expect(page.TestId("live-pause")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(page.TestId("live-waiting")).ToHaveCountAsync(0);
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", arrived.Id.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Row(jobs[1].Id).GetByTestId("select-job")).ToBeCheckedAsync();
        await Expect(page.Row(arrived.Id).GetByTestId("select-job")).Not.ToBeCheckedAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("1 selected");
    }

    [Fact]
    public async Task LiveRefresh_NewJobAboveTheSelectedRow_SelectionStaysWithTheJobNotTheRowPosition()
    {
        var server = fixture.Server;
        var run = "keep" + Guid.NewGuid().ToString("N")[..8];
        var first = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-0"), Later);
        var second = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-1"), Later);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(2);
        await rows.First.GetByTestId("select-job").CheckAsync(); // The newest: the second job.

        var arrived = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-new"), Later);
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", arrived.Id.ToString(CultureInfo.InvariantCulture));
        await Expect(rows.First.GetByTestId("select-job")).Not.ToBeCheckedAsync();
        await Expect(page.Row(second.Id).GetByTestId("select-job")).ToBeCheckedAsync();
        await Expect(page.Row(first.Id).GetByTestId("select-job")).Not.ToBeCheckedAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("1 selected");
    }

    [Fact]
    public async Task ScheduledAndRetryingTabs_ListQueuedJobsDueLaterAndJobsWaitingForARetry_WithCounts()
    {
        var server = fixture.Server;
        var run = "views" + Guid.NewGuid().ToString("N")[..8];
        var scheduled = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-scheduled"), Later);

        // Due now, in a queue no pool serves: queued, neither scheduled nor retrying.
        var due = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-due"), new JobScheduleOptions { Queue = "views-unserved" });
        var retrying = await server.Client.ScheduleAsync(E2EJobs.SlowRetry, new NoteArgs($"{run}-retrying"));
        await Eventually.ValueAsync(() => server.Client.GetAsync(retrying.Id), j => j is { Status: JobStatus.Queued, Attempt: 1 }, "the first attempt to fail");

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(3);

        await page.TestId("status-Scheduled").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]view=Scheduled(&|$)"));
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Row(scheduled.Id)).ToBeVisibleAsync();
        await Expect(page.Row(retrying.Id)).ToBeVisibleAsync(); // Its retry is due later too.
        await Expect(page.Row(due.Id)).ToHaveCountAsync(0);
        Assert.True(await TabCountAsync(page, "Scheduled") >= 2);

        await page.TestId("status-Retrying").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]view=Retrying(&|$)"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Row(retrying.Id)).ToBeVisibleAsync();
        await Expect(page.TestId("status-Retrying")).ToHaveClassAsync(new Regex("active"));
        Assert.True(await TabCountAsync(page, "Retrying") >= 1);

        // A reload keeps the view.
        await page.ReloadAsync();
        await page.WaitForReadyAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Row(retrying.Id)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task PageSizeAndColumnSort_ChosenInThePage_ChangeTheRowsAndTheUrl()
    {
        var server = fixture.Server;
        var run = "sort" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddHours(2);

        // Run times run against ids (the first stored runs last), priorities neither way.
        var jobs = new List<Job>();
        for (var i = 0; i < 12; i++)
        {
            jobs.Add(await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-{i}"),
                new JobScheduleOptions { RunAt = start.AddMinutes(-i), Priority = (i * 5) % 12 }));
        }

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(12);

        await page.TestId("page-size").SelectOptionAsync("10");
        await Expect(page).ToHaveURLAsync(new Regex("[?&]size=10(&|$)"));
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(page.TestId("page-info")).ToHaveTextAsync("1–10 of 12");
        await page.TestId("page-next").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page).ToHaveURLAsync(new Regex("[?&]page=2(&|$)"));
        Assert.Contains("size=10", page.Url, StringComparison.Ordinal);

        var runAt = page.TestId("sort-runat");
        await Expect(page.TestId("sort-id")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(runAt).ToHaveAttributeAsync("aria-sort", "none");
        await runAt.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]sort=runat&dir=asc(&|$)"));
        await Expect(runAt).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(page.TestId("sort-id")).ToHaveAttributeAsync("aria-sort", "none");
        await Expect(rows).ToHaveCountAsync(10); // Back on the first page, with the chosen size.
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", Id(jobs[11]));

        // The keyboard reaches the header and turns the order round.
        await runAt.GetByRole(AriaRole.Button).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("[?&]sort=runat&dir=desc(&|$)"));
        await Expect(runAt).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", Id(jobs[0]));

        await page.TestId("sort-priority").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]sort=priority&dir=desc(&|$)"));
        await Expect(page.TestId("sort-priority")).ToHaveAttributeAsync("aria-sort", "descending");
        var highest = jobs.OrderByDescending(j => j.Priority).ThenByDescending(j => j.Id).First();
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", Id(highest));

        // The URL alone brings the same list back.
        await page.OpenAsync(server.Url($"jobs?q={run}&sort=runat&dir=asc&size=10"));
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", Id(jobs[11]));
        await Expect(page.TestId("page-size")).ToHaveValueAsync("10");
    }

    private static string Id(Job job) => job.Id.ToString(CultureInfo.InvariantCulture);

    private static async Task<long> TabCountAsync(IPage page, string tab)
    {
        var text = await page.TestId($"status-{tab}").Locator(".jobs-tab-count").TextContentAsync() ?? "";
        return long.Parse(TabNumber().Match(text).Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"[\d,]+")]
    private static partial Regex TabNumber();
}
