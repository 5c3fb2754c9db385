using Jobs.Dashboard.Live;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>Writes screenshots of the main pages, with the demo jobs flowing, to the test artifacts (artifacts/e2e/screenshots).</summary>
[Collection(DashboardTests.Name)]
public sealed class ScreenshotTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Screenshots_OverviewJobsAndDetail_WrittenAsArtifacts()
    {
        await using var server = new DashboardServer(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        var folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Artifacts, "screenshots")).FullName;

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

        var (context, page) = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await using var _ = context;

        await page.OpenAsync(server.Url(""));
        await Expect(page.TestId("count-Finished")).Not.ToContainTextAsync("…");
        await Expect(page.Locator("[data-testid=throughput-chart] svg")).ToBeVisibleAsync();
        await Expect(page.TestId("recent-failure").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "overview.png"), FullPage = true });

        await page.TestId("nav-jobs").ClickAsync();
        await Expect(page.TestId("job-row").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "jobs.png") });

        await page.TestId("status-Failed").ClickAsync();
        await Expect(page.Locator("[data-testid=job-row][data-status=Failed]").First).ToBeVisibleAsync();
        await page.Locator("[data-testid=job-row][data-status=Failed]").First.GetByTestId("job-link").ClickAsync();
        await Expect(page.TestId("job-failure")).ToBeVisibleAsync();
        await page.TestId("stack-trace").First.Locator("summary").ClickAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "job-detail.png"), FullPage = true });

        await page.TestId("nav-recurring").ClickAsync();
        await Expect(page.TestId("recurring-row").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "recurring.png") });

        foreach (var name in (string[])["overview", "jobs", "job-detail", "recurring"])
        {
            Assert.True(new FileInfo(Path.Combine(folder, name + ".png")).Length > 10_000, $"{name}.png was written");
        }

        Assert.True(failed >= 2);
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
