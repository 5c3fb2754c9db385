using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard.Infrastructure;

internal static class PageExtensions
{
    /// <summary>Opens a dashboard URL and waits until its circuit is live (the page is not prerendered: nothing is clickable before).</summary>
    public static async Task OpenAsync(this IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForReadyAsync();
    }

    public static async Task WaitForReadyAsync(this IPage page)
        => await Expect(page.Locator("[data-testid=jobs-shell][data-ready=true]")).ToBeVisibleAsync();

    /// <summary>Marks the document, so a test can prove later that no reload happened (a reload wipes the mark).</summary>
    public static Task MarkDocumentAsync(this IPage page) => page.EvaluateAsync("() => { window.__jobsNoReload = 'same document'; }");

    public static async Task ExpectSameDocumentAsync(this IPage page)
        => Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.__jobsNoReload ?? null"));

    public static ILocator Row(this IPage page, long jobId) => page.Locator($"[data-testid=job-row][data-job-id='{jobId}']");

    public static ILocator TestId(this IPage page, string id) => page.GetByTestId(id);
}
