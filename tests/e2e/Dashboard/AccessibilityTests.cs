using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>Every page passes axe-core (no serious or critical violation: contrast, names, roles, headings) in both themes, and
/// keyboard focus is visible.</summary>
[Collection(DashboardTests.Name)]
public sealed class AccessibilityTests(DashboardFixture fixture)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPage_AxeInLightAndDarkTheme_NoSeriousOrCriticalViolations(string theme)
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "axe-" + theme);
        var admin = server.Services.GetRequiredService<IJobAdmin>();
        var executing = await server.Client.ScheduleAsync(E2EJobs.Wait, new WaitArgs($"{jobs.Run}-executing"));
        var cancelled = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{jobs.Run}-cancelled"),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await admin.CancelAsync(new JobTarget(cancelled.Id, null));
        var recurring = await server.Client.ScheduleRecurringAsync(E2EJobs.Note, new NoteArgs($"{jobs.Run}-recurring"), TimeSpan.FromHours(1),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await admin.PauseAsync(new JobTarget(recurring.Id, null));
        await Eventually.StatusAsync(server.Client, executing.Id, JobStatus.Executing);

        var (context, page) = await fixture.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        await using var _ = context;
        try
        {
            // Every page, the jobs list under each status tab and each other filter, a job in each state the detail shows differently.
            var pages = new List<(string Url, ILocator Loaded)>
            {
                ("", page.TestId("recent-failure").First),
                ("jobs", page.TestId("job-row").First),
                ($"jobs?q={jobs.Run}", page.Row(jobs.Queued.Id)),
                ($"jobs?type={E2EJobs.Note}", page.TestId("job-row").First),
                ("jobs?queue=default", page.TestId("job-row").First),
                ($"jobs?q=no-such-job-{jobs.Run}", page.TestId("jobs-empty")),
                ($"jobs/{jobs.Failed.Id}", page.TestId("job-failure")),
                ($"jobs/{jobs.Finished.Id}", page.TestId("action-retry")),
                ($"jobs/{jobs.Queued.Id}", page.TestId("action-cancel")),
                ($"jobs/{executing.Id}", page.TestId("action-cancel")),
                ($"jobs/{recurring.Id}", page.TestId("action-resume")),
                ("recurring", page.TestId("recurring-row").First),
                ("pools", page.TestId("pool-row").First),
                ("types", page.TestId("type-row").First),
                ("audit", page.TestId("audit-table")),
                ("deleted", page.TestId("deleted-table")),
                ("no-such-page", page.Locator("h1")),
            };
            pages.AddRange(Enum.GetValues<JobStatus>().Select(s =>
                ($"jobs?q={jobs.Run}&status={s}", page.Locator($"[data-testid=job-row][data-status={s}]").First)));

            var violations = new List<string>();
            foreach (var (url, loaded) in pages)
            {
                await page.OpenAsync(server.Url(url));
                await Expect(loaded).ToBeVisibleAsync();
                await Expect(page.Locator("html")).ToHaveAttributeAsync("data-jobs-theme", theme);
                await Expect(page.TestId("theme-toggle")).ToHaveAttributeAsync("data-theme", theme);
                var result = await page.RunAxe();
                violations.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical").SelectMany(v => v.Nodes.Select(n =>
                    $"/{url}: {v.Impact} {v.Id}: {string.Join(" ", n.Target)}: {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}")));
            }

            Assert.True(violations.Count == 0, $"{violations.Count} serious or critical axe violations ({theme}):\n{string.Join("\n", violations)}");
        }
        finally
        {
            await admin.CancelAsync(new JobTarget(executing.Id, null));
        }
    }

    [Fact]
    public async Task KeyboardTab_EveryFocusedElement_HasAVisibleOutline()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "focus");
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs?q={jobs.Run}"));
        await Expect(page.TestId("job-link")).ToHaveCountAsync(3);

        // From the top bar through the tabs, filters, bulk buttons and the rows' links, one Tab at a time.
        var seen = new List<FocusStop>();
        for (var i = 0; i < 40 && !seen.Any(s => s.Kind == "job-link"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = JsonSerializer.Deserialize<FocusStop>(await page.EvaluateAsync<string>("""
                () => {
                    const e = document.activeElement;
                    const style = getComputedStyle(e);
                    const kind = e.matches('.jobs-nav-link, .jobs-brand') ? 'top-link'
                        : e.matches('.jobs-tab') ? 'status-tab'
                        : e.matches('.mud-button-root') ? 'button'
                        : e.matches('[data-testid=job-link]') ? 'job-link'
                        : e.tagName.toLowerCase();
                    return JSON.stringify({ kind, name: (e.textContent || e.getAttribute('data-testid') || '').trim().slice(0, 40),
                                            outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth });
                }
                """), JsonOptions)!;
            seen.Add(stop);
        }

        Assert.All(seen, s => Assert.True(s.OutlineStyle != "none" && s.OutlineWidth != "0px", $"{s.Kind} '{s.Name}' has outline {s.OutlineStyle} {s.OutlineWidth}"));
        foreach (var kind in (string[])["top-link", "status-tab", "button", "job-link"])
        {
            Assert.Contains(seen, s => s.Kind == kind);
        }
    }

    private sealed record FocusStop(string Kind, string Name, string OutlineStyle, string OutlineWidth);
}
