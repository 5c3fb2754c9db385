using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class FilterAndBulkTests(DashboardFixture fixture)
{
    [Fact]
    public async Task FilterAndSearch_NarrowTheList_BulkRetryOfEveryFailedJobMatchingRetriesExactlyThose()
    {
        var server = fixture.Server;
        var run = "bulk" + Guid.NewGuid().ToString("N")[..8];
        var alpha = new List<Job>();
        var beta = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            alpha.Add(await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs($"{run}-a{i}"), new JobScheduleOptions { Queue = "alpha" }));
        }

        for (var i = 0; i < 2; i++)
        {
            beta.Add(await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs($"{run}-b{i}"), new JobScheduleOptions { Queue = "beta" }));
        }

        var note = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-note"), new JobScheduleOptions { Queue = "alpha" });
        foreach (var job in alpha.Concat(beta))
        {
            await Eventually.StatusAsync(server.Client, job.Id, JobStatus.Failed);
        }

        await Eventually.StatusAsync(server.Client, note.Id, JobStatus.Finished);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(6);
        await page.MarkDocumentAsync();

        await page.TestId("status-Failed").ClickAsync();
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-testid=job-row][data-status=Failed]")).ToHaveCountAsync(5);

        await page.TestId("filter-queue").FillAsync("alpha");
        await page.TestId("filter-queue").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var job in alpha)
        {
            await Expect(page.Row(job.Id)).ToBeVisibleAsync();
        }

        await page.TestId("filter-search").FillAsync($"{run}-a1");
        await page.TestId("filter-search").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Row(alpha[1].Id)).ToBeVisibleAsync();

        await page.TestId("filter-search").FillAsync(run);
        await page.TestId("filter-search").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.TestId("jobs-table")).ToHaveAttributeAsync("data-total", "3");
        Assert.Contains("status=Failed", page.Url, StringComparison.Ordinal);
        Assert.Contains("queue=alpha", page.Url, StringComparison.Ordinal);

        // Every key may succeed now: a beta job retried by mistake would finish, and show it.
        foreach (var key in Enumerable.Range(0, 3).Select(i => $"{run}-a{i}").Concat(Enumerable.Range(0, 2).Select(i => $"{run}-b{i}")))
        {
            E2EJobs.LetSucceed(key);
        }

        await page.TestId("bulk-retry-all").ClickAsync();
        await Expect(page.TestId("confirm-text")).ToContainTextAsync("status Failed, queue alpha, text");
        await Expect(page.TestId("confirm-text")).ToContainTextAsync(": 3 now");
        await page.TestId("confirm").ClickAsync();

        await Expect(page.TestId("notice")).ToHaveTextAsync("Retried 3 of 3 matching jobs.");
        await Expect(page.TestId("jobs-empty")).ToBeVisibleAsync(); // They left the failed list, live.
        await page.ExpectSameDocumentAsync();
        foreach (var job in alpha)
        {
            await Eventually.StatusAsync(server.Client, job.Id, JobStatus.Finished);
        }

        foreach (var job in beta)
        {
            Assert.Equal(JobStatus.Failed, (await server.Client.GetAsync(job.Id)).Status);
            Assert.DoesNotContain(await server.Monitor.GetHistoryAsync(job.Id), e => e.Kind == JobEventKind.Rescheduled);
        }

        Assert.DoesNotContain(await server.Monitor.GetHistoryAsync(note.Id), e => e.Kind == JobEventKind.Rescheduled);
    }

    [Fact]
    public async Task Search_TypedAsThePageShowsIt_FindsApostropheQuotesNonAsciiInOtherCaseAndLiteralPercent()
    {
        var server = fixture.Server;
        var run = "find" + Guid.NewGuid().ToString("N")[..8];
        var later = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) };
        var wanted = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run} O'Brien Über \"50%\""), later);
        var other = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run} OBrien Uber 500"), later);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        var rows = page.TestId("job-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Row(wanted.Id)).ToContainTextAsync($"{run} O'Brien Über \\\"50%\\\"");

        // As read in the payload's value, or copied from the JSON the row shows (quotes escaped).
        foreach (var typed in (string[])[$"{run} o'brien ÜBER", "o'brien über \"50%\"", $"{run} O'Brien Über \"50", @"Über \""50%\"""])
        {
            await page.TestId("filter-search").FillAsync(typed);
            await page.TestId("filter-search").PressAsync("Enter");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(page.Row(wanted.Id)).ToBeVisibleAsync();
        }

        await page.TestId("filter-search").FillAsync($"{run} OBrien Uber 50");
        await page.TestId("filter-search").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Row(other.Id)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BulkCancelOfSelection_CancelsOnlyTheSelectedJobs()
    {
        var server = fixture.Server;
        var run = "sel" + Guid.NewGuid().ToString("N")[..8];
        var later = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) };
        var jobs = new List<Job>();
        for (var i = 0; i < 4; i++)
        {
            jobs.Add(await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-{i}"), later));
        }

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={run}"));
        await Expect(page.TestId("job-row")).ToHaveCountAsync(4);

        await page.Row(jobs[0].Id).GetByTestId("select-job").CheckAsync();
        await page.Row(jobs[2].Id).GetByTestId("select-job").CheckAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("2 selected");
        await page.TestId("bulk-cancel-selected").ClickAsync();
        await page.TestId("confirm").ClickAsync();

        await Expect(page.TestId("notice")).ToHaveTextAsync("Cancelled 2 of 2 selected jobs.");
        await Expect(page.Row(jobs[0].Id)).ToHaveAttributeAsync("data-status", "Cancelled");
        await Expect(page.Row(jobs[2].Id)).ToHaveAttributeAsync("data-status", "Cancelled");
        await Expect(page.Row(jobs[1].Id)).ToHaveAttributeAsync("data-status", "Queued");
        await Expect(page.Row(jobs[3].Id)).ToHaveAttributeAsync("data-status", "Queued");
    }

    [Fact]
    public async Task BulkActions_PerStatusFilterAndSelection_OfferedOnlyWhereTheyApply()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "offer");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={jobs.Run}"));
        await Expect(page.TestId("job-row")).ToHaveCountAsync(3);
        var retryAll = page.TestId("bulk-retry-all");
        var cancelAll = page.TestId("bulk-cancel-all");
        var deleteAll = page.TestId("bulk-delete-all");

        // Every status: what the engine can do to jobs in it (retry ended jobs, cancel queued or executing ones, delete any).
        foreach (var (status, retry, cancel) in (ValueTuple<string, bool, bool>[])[
            ("All", true, true), ("Queued", false, true), ("Executing", false, true),
            ("Finished", true, false), ("Failed", true, false), ("Cancelled", true, false)])
        {
            await page.TestId($"status-{status}").ClickAsync();
            await Expect(page.TestId($"status-{status}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
            await Expect(retryAll).ToHaveCountAsync(retry ? 1 : 0);
            await Expect(cancelAll).ToHaveCountAsync(cancel ? 1 : 0);
            await Expect(deleteAll).ToHaveCountAsync(1);
        }

        // A selection: what applies to at least one selected job.
        await page.TestId("status-All").ClickAsync();
        await page.Row(jobs.Failed.Id).GetByTestId("select-job").CheckAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("1 selected");
        await Expect(page.TestId("bulk-retry-selected")).ToHaveCountAsync(1);
        await Expect(page.TestId("bulk-cancel-selected")).ToHaveCountAsync(0);
        await Expect(page.TestId("bulk-delete-selected")).ToHaveCountAsync(1);

        await page.Row(jobs.Queued.Id).GetByTestId("select-job").CheckAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("2 selected");
        await Expect(page.TestId("bulk-retry-selected")).ToHaveCountAsync(1);
        await Expect(page.TestId("bulk-cancel-selected")).ToHaveCountAsync(1);

        await page.Row(jobs.Failed.Id).GetByTestId("select-job").UncheckAsync();
        await Expect(page.TestId("selected-count")).ToHaveTextAsync("1 selected");
        await Expect(page.TestId("bulk-retry-selected")).ToHaveCountAsync(0);
        await Expect(page.TestId("bulk-cancel-selected")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task JobsList_PageFarPastTheEnd_ShowsTheLastPageWithItsRange()
    {
        var server = fixture.Server;
        var run = "pages" + Guid.NewGuid().ToString("N")[..8];
        var later = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) }; // Stay queued: the count holds still.
        await server.Client.ScheduleManyAsync(Enumerable.Range(0, 30).Select(i => JobRequest.Create(E2EJobs.Note, new NoteArgs($"{run}-{i}"), later)));
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        await page.OpenAsync(server.Url($"jobs?q={run}&page=99999"));

        // 30 jobs, 25 a page: the last page is the second, with 5.
        await Expect(page.TestId("page-info")).ToHaveTextAsync("26–30 of 30");
        await Expect(page.TestId("job-row")).ToHaveCountAsync(5);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]page=2(&|$)"));
        await Expect(page.TestId("page-next")).ToBeDisabledAsync();

        await page.TestId("page-prev").ClickAsync();
        await Expect(page.TestId("page-info")).ToHaveTextAsync("1–25 of 30");
        await Expect(page.TestId("job-row")).ToHaveCountAsync(25);
    }
}
