using Jobs.Dashboard.Live;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>Screenshots of the main pages in the light and the dark theme, with the demo jobs flowing: to the test artifacts
/// (artifacts/e2e/screenshots), or with <c>JOBS_SCREENSHOTS=1</c> to docs/screenshots, the ones the documentation shows
/// (<c>JOBS_SCREENSHOTS=1 dotnet test tests/e2e -c Release --filter FullyQualifiedName~ScreenshotTests</c>).</summary>
[Collection(DashboardTests.Name)]
public sealed class ScreenshotTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Screenshots_MainPagesInLightAndDark_Written()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        var folder = Directory.CreateDirectory(Environment.GetEnvironmentVariable("JOBS_SCREENSHOTS") == "1"
            ? Path.Combine(RepoPaths.Root, "docs", "screenshots")
            : Path.Combine(RepoPaths.Artifacts, "screenshots")).FullName;

        // The demo's mail server refuses one attempt in five; without retries some of these fail for good.
        var failed = await Eventually.ValueAsync(async () =>
        {
            await server.Client.ScheduleManyAsync(Enumerable.Range(0, 5).Select(i => DemoEmail($"user{i}@example.com", "Your invoice")));
            return (await server.Monitor.CountByStatusAsync())[JobStatus.Failed];
        }, n => n >= 2, "a few demo e-mails to fail");
        await Eventually.ValueAsync(async () => (await server.Monitor.CountByStatusAsync())[JobStatus.Finished], n => n >= 25, "demo jobs to finish");

        // Let the throughput chart draw a few buckets (5 s each) of the demo's flow.
        var throughput = server.Services.GetRequiredService<ThroughputTracker>();
        await Eventually.ValueAsync(() => Task.FromResult(throughput.Snapshot().Count(b => b.SucceededPerSecond > 0)), n => n >= 5, "a few seconds of throughput");

        string[] names = ["overview", "jobs", "job-detail", "recurring"];
        foreach (var (scheme, suffix) in new[] { (ColorScheme.Light, ""), (ColorScheme.Dark, "-dark") })
        {
            // Written afresh: an old file must not pass for a new one.
            foreach (var name in names)
            {
                File.Delete(Path.Combine(folder, name + suffix + ".png"));
            }

            await ShootAsync(server, scheme, name => Path.Combine(folder, name + suffix + ".png"));
            foreach (var name in names)
            {
                Assert.True(new FileInfo(Path.Combine(folder, name + suffix + ".png")).Length > 10_000, $"{name}{suffix}.png was written");
            }
        }

        Assert.True(failed >= 2);
    }

    private async Task ShootAsync(DashboardServer server, ColorScheme scheme, Func<string, string> file)
    {
        var (context, page) = await fixture.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = scheme,
        });
        await using var _ = context;

        await page.OpenAsync(server.Url(""));
        await Expect(page.TestId("theme-toggle")).ToHaveAttributeAsync("data-theme", scheme == ColorScheme.Dark ? "dark" : "light");
        await Expect(page.TestId("count-Finished")).Not.ToContainTextAsync("…");
        await Expect(page.Locator("[data-testid=throughput-chart] svg")).ToBeVisibleAsync();
        await Expect(page.TestId("recent-failure").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file("overview"), FullPage = true });

        await page.TestId("nav-jobs").ClickAsync();
        await Expect(page.TestId("job-row").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file("jobs") });

        await page.TestId("status-Failed").ClickAsync();
        await Expect(page.Locator("[data-testid=job-row][data-status=Failed]").First).ToBeVisibleAsync();
        await page.Locator("[data-testid=job-row][data-status=Failed]").First.GetByTestId("job-link").ClickAsync();
        await Expect(page.TestId("job-failure")).ToBeVisibleAsync();
        await page.TestId("stack-trace").First.Locator("summary").ClickAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file("job-detail"), FullPage = true });

        await page.TestId("nav-recurring").ClickAsync();
        await Expect(page.TestId("recurring-row").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file("recurring") });
    }

    /// <summary>A demo e-mail without retries; its payload type is the demo server's own (internal) record.</summary>
    private static JobRequest DemoEmail(string to, string subject)
    {
        var argsType = typeof(Program).Assembly.GetType("Jobs.Server.EmailArgs", throwOnError: true)!;
        var create = typeof(JobRequest).GetMethods().Single(m => m.Name == nameof(JobRequest.Create) && m.IsGenericMethodDefinition);
        return (JobRequest)create.MakeGenericMethod(argsType)
            .Invoke(null, ["demo.email", Activator.CreateInstance(argsType, to, subject), new JobScheduleOptions { MaxRetries = 0 }])!;
    }
}
