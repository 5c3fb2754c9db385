using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class MarkupTests(DashboardFixture fixture)
{
    private const string Script = "<script>window.__xss = 'script'; alert('script ran')</script>";
    private const string Image = "<img src=x onerror=\"window.__xss = 'img'; alert('img ran')\">";

    [Fact]
    public async Task PayloadAndErrorWithScriptAndImgOnerror_ShownAsText_NoScriptRuns()
    {
        var server = fixture.Server;
        var key = "xss-" + Guid.NewGuid().ToString("N")[..8] + Script + Image;
        var job = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs(key, $"Refused {Image} and {Script}"));
        await Eventually.StatusAsync(server.Client, job.Id, JobStatus.Failed);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };

        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("job-payload")).ToContainTextAsync(Script);
        await Expect(page.TestId("job-payload")).ToContainTextAsync(Image.Replace("\"", "\\\"", StringComparison.Ordinal)); // JSON escapes its quotes.
        await Expect(page.TestId("job-failure")).ToContainTextAsync($"Refused {Image} and {Script}");
        await Expect(page.TestId("error-message")).ToContainTextAsync($"Refused {Image} and {Script}");

        await page.TestId("nav-jobs").ClickAsync();
        await page.TestId("filter-search").FillAsync(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.TestId("filter-search").PressAsync("Enter");
        await Expect(page.Row(job.Id)).ToContainTextAsync("Refused <img src=x onerror=");

        Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("() => [...document.scripts].some(s => s.textContent.includes('__xss'))"));
        Assert.Empty(dialogs);
    }
}
