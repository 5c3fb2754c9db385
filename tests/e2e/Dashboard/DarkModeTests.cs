using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>The theme follows the browser's prefers-color-scheme until the operator chooses one with the top bar's toggle; the
/// choice is kept across reloads and wins over the browser's preference.</summary>
[Collection(DashboardTests.Name)]
public sealed class DarkModeTests(DashboardFixture fixture)
{
    // The page backgrounds of the two themes (dashboard.css) and MudBlazor's surface (a paper) in each.
    private const string LightPage = "rgb(244, 246, 250)";
    private const string DarkPage = "rgb(17, 21, 31)";
    private const string LightSurface = "rgb(255, 255, 255)";
    private const string DarkSurface = "rgb(27, 33, 48)";

    [Fact]
    public async Task BrowserPrefersDark_NoChoiceMade_PageIsDark()
    {
        var (context, page) = await NewPageAsync(ColorScheme.Dark);
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));

        await ExpectThemeAsync(page, dark: true);
        await Expect(page.TestId("theme-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task Toggle_BrowserPrefersLight_SwitchesToDarkAndBackAndPersistsAcrossReload()
    {
        var (context, page) = await NewPageAsync(ColorScheme.Light);
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));
        await ExpectThemeAsync(page, dark: false);

        await page.TestId("theme-toggle").ClickAsync();
        await ExpectThemeAsync(page, dark: true);
        await page.ReloadAsync();
        await page.WaitForReadyAsync();
        await ExpectThemeAsync(page, dark: true);

        // A choice stands against the browser too: light chosen while the browser prefers dark stays light.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.TestId("theme-toggle").ClickAsync();
        await ExpectThemeAsync(page, dark: false);
        await page.ReloadAsync();
        await page.WaitForReadyAsync();
        await ExpectThemeAsync(page, dark: false);
    }

    [Fact]
    public async Task BrowserPreferenceChanges_NoChoiceMade_ThemeFollowsLive()
    {
        var (context, page) = await NewPageAsync(ColorScheme.Light);
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));
        await ExpectThemeAsync(page, dark: false);
        await page.MarkDocumentAsync();

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await ExpectThemeAsync(page, dark: true);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await ExpectThemeAsync(page, dark: false);
        await page.ExpectSameDocumentAsync();
    }

    private Task<(IBrowserContext Context, IPage Page)> NewPageAsync(ColorScheme scheme) => fixture.NewPageAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        ColorScheme = scheme,
    });

    /// <summary>Both halves of the theme: the dashboard's own colours (the page) and MudBlazor's (IsDarkMode: a paper's surface).</summary>
    private static async Task ExpectThemeAsync(IPage page, bool dark)
    {
        await Expect(page.TestId("theme-toggle")).ToHaveAttributeAsync("data-theme", dark ? "dark" : "light");
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", dark ? DarkPage : LightPage);
        await Expect(page.Locator(".mud-paper").First).ToHaveCSSAsync("background-color", dark ? DarkSurface : LightSurface);
    }
}
