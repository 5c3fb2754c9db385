using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>What a screen reader announces: the page's one heading, the current page link, the selected status tab, the row
/// checkboxes by job, and the throughput chart's numbers as text.</summary>
[Collection(DashboardTests.Name)]
public sealed class ScreenReaderTests(DashboardFixture fixture)
{
    [Fact]
    public async Task EveryPage_Headings_ExactlyOneH1()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "h1-");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        foreach (var (url, heading) in new[]
        {
            ("", "Overview"), ("jobs", "Jobs"), ($"jobs/{jobs.Failed.Id}", $"Job #{jobs.Failed.Id}"), ("recurring", "Recurring jobs"),
            ("pools", "Pools"), ("types", "Job types"), ("audit", "Audit log"), ("deleted", "Deleted jobs"), ("no-such-page", "No such page"),
        })
        {
            await page.OpenAsync(server.Url(url));
            await Expect(page.Locator("h1")).ToHaveCountAsync(1);
            await Expect(page.Locator("h1")).ToContainTextAsync(heading);
        }
    }

    [Fact]
    public async Task JobsList_StatusTabAndNavLink_SelectedOnesMarked()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "tabs-");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={jobs.Run}"));

        await Expect(page.TestId("nav-jobs")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator(".jobs-nav [aria-current]")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Tab, new() { Selected = true })).ToHaveAttributeAsync("data-testid", "status-All");

        await page.TestId("status-Failed").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Selected = true })).ToHaveAttributeAsync("data-testid", "status-Failed");
        await Expect(page.GetByRole(AriaRole.Tab, new() { Selected = true })).ToHaveCountAsync(1);
        // One tab per status, plus All and the Scheduled and Retrying views of the queued jobs.
        await Expect(page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(Enum.GetValues<JobStatus>().Length + 3);

        await page.TestId("nav-recurring").ClickAsync();
        await Expect(page.TestId("nav-recurring")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.TestId("nav-jobs")).Not.ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task JobsList_RowCheckboxes_LabelledByJob()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "checkbox-");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={jobs.Run}"));

        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select job {jobs.Failed.Id}", Exact = true }).CheckAsync();
        await Expect(page.Row(jobs.Failed.Id).GetByTestId("select-job")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Select every job on this page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Overview_ThroughputChart_NumbersAsATable()
    {
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Throughput: attempts per second" });
        await Expect(table).ToHaveCountAsync(1);
        await Expect(table.GetByRole(AriaRole.Columnheader)).ToHaveTextAsync(["Minute", "Succeeded per second", "Failed per second"]);
        await Expect(table.GetByTestId("throughput-minute").Last).ToContainTextAsync("The last minute");
        await Expect(page.TestId("throughput-chart")).ToHaveAttributeAsync("aria-hidden", "true");
    }
}
