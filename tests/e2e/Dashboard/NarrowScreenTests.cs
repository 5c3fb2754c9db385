using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>At phone width (400 px) every page fits without sideways scrolling, and the page links are behind a menu button.</summary>
[Collection(DashboardTests.Name)]
public sealed class NarrowScreenTests(DashboardFixture fixture)
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 400, Height = 800 } };

    [Fact]
    public async Task NarrowViewport_OverviewJobsAndJobDetail_NoHorizontalScroll()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "narrow");
        var (context, page) = await fixture.NewPageAsync(Phone);
        await using var _ = context;

        await page.OpenAsync(server.Url(""));
        await Expect(page.TestId("count-Failed")).Not.ToContainTextAsync("…");
        await Expect(page.Locator("[data-testid=throughput-chart] svg")).ToBeVisibleAsync();
        await Expect(page.TestId("recent-failure").First).ToBeVisibleAsync();
        await AssertFitsAsync(page, "the overview");

        await page.OpenAsync(server.Url("jobs"));
        await Expect(page.TestId("job-row").First).ToBeVisibleAsync();
        await AssertFitsAsync(page, "the jobs list");

        // A failed job's page is the widest: error text, stack trace, a timeline with long details.
        await page.OpenAsync(server.Url($"jobs/{jobs.Failed.Id}"));
        await Expect(page.TestId("job-failure")).ToBeVisibleAsync();
        await Expect(page.TestId("timeline-event").First).ToBeVisibleAsync();
        await page.TestId("stack-trace").First.Locator("summary").ClickAsync();
        await AssertFitsAsync(page, "a failed job's page");
    }

    [Fact]
    public async Task NarrowViewport_MenuButton_OpensTheNavigationAndALinkClosesIt()
    {
        var server = fixture.Server;
        var (context, page) = await fixture.NewPageAsync(Phone);
        await using var _ = context;
        await page.OpenAsync(server.Url(""));
        var menu = page.TestId("menu-button");
        var types = page.TestId("nav-types");

        await Expect(menu).ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(types).ToBeHiddenAsync();

        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(types).ToBeVisibleAsync();
        await Expect(types).ToBeInViewportAsync(new() { Ratio = 1 }); // Not cut off at the edge.
        await page.MarkDocumentAsync();

        await types.ClickAsync();
        await Expect(page.TestId("types-table")).ToBeVisibleAsync();
        await Expect(types).ToBeHiddenAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await page.ExpectSameDocumentAsync();
    }

    [Fact]
    public async Task WideViewport_NavigationLinks_ShownInTheBarWithoutAMenuButton()
    {
        var (context, page) = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));

        await Expect(page.TestId("nav-types")).ToBeVisibleAsync();
        await Expect(page.TestId("menu-button")).ToBeHiddenAsync();
        await AssertFitsAsync(page, "the overview at 1024 px");
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= page.ViewportSize!.Width, $"{what} is {scrollWidth} px wide in a {page.ViewportSize.Width} px viewport");
    }
}
