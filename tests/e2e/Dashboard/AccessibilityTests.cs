using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>Text contrast (WCAG AA, checked by axe-core) and a visible keyboard focus.</summary>
[Collection(DashboardTests.Name)]
public sealed class AccessibilityTests(DashboardFixture fixture)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly AxeRunOptions ContrastOnly = new() { RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] } };

    [Fact]
    public async Task MainPages_AxeColorContrast_NoViolations()
    {
        var server = fixture.Server;
        var jobs = await SampleJobs.CreateAsync(server, "contrast");
        await server.Client.ScheduleRecurringAsync(E2EJobs.Note, new NoteArgs($"{jobs.Run}-recurring"), TimeSpan.FromHours(1),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        // Each page with what it showed in colours too faint: the status chips, the outlined bulk and job actions, field labels.
        var pages = new (string Url, ILocator Loaded)[]
        {
            ("", page.TestId("recent-failure").First),
            ($"jobs?q={jobs.Run}", page.Row(jobs.Queued.Id)),
            ($"jobs?q={jobs.Run}&status=Failed", page.Row(jobs.Failed.Id)),
            ($"jobs/{jobs.Failed.Id}", page.TestId("job-failure")),
            ($"jobs/{jobs.Finished.Id}", page.TestId("action-retry")),
            ($"jobs/{jobs.Queued.Id}", page.TestId("action-cancel")),
            ("recurring", page.TestId("recurring-pause").First),
            ("pools", page.TestId("pool-row").First),
            ("types", page.TestId("type-row").First),
        };
        var violations = new List<string>();
        foreach (var (url, loaded) in pages)
        {
            await page.OpenAsync(server.Url(url));
            await Expect(loaded).ToBeVisibleAsync();
            var result = await page.RunAxe(ContrastOnly);
            violations.AddRange(result.Violations.SelectMany(v => v.Nodes).Select(n =>
                $"/{url}: {string.Join(" ", n.Target)}: {string.Join("; ", n.Any.Select(c => c.Message))}"));
        }

        Assert.Empty(violations);
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
