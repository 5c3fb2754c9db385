using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class PageTitleAndIconTests(DashboardFixture fixture)
{
    [Fact]
    public async Task EveryPage_OwnTitle_AlsoAfterNavigatingInsideTheCircuit()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("titled"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        foreach (var (url, title) in (ValueTuple<string, string>[])[
            ("", "Overview · Jobs"),
            ("jobs", "All jobs · Jobs"),
            ("jobs?status=Failed", "Failed jobs · Jobs"),
            ($"jobs/{job.Id}", $"Job {job.Id} · Jobs"),
            ("recurring", "Recurring jobs · Jobs"),
            ("pools", "Pools · Jobs"),
            ("types", "Job types · Jobs"),
            ("audit", "Audit log · Jobs"),
            ("deleted", "Deleted jobs · Jobs"),
            ("no-such-page", "No such page · Jobs"),
        ])
        {
            await page.OpenAsync(server.Url(url));
            await Expect(page).ToHaveTitleAsync(title);
        }

        await page.MarkDocumentAsync();
        await page.TestId("nav-jobs").ClickAsync();
        await Expect(page).ToHaveTitleAsync("All jobs · Jobs");
        await page.TestId("status-Queued").ClickAsync();
        await Expect(page).ToHaveTitleAsync("Queued jobs · Jobs");
        await page.ExpectSameDocumentAsync();
    }

    [Fact]
    public async Task DocumentHead_IconLink_AnswersWithAnSvgImage()
    {
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(fixture.Server.Url(""));

        var href = await page.Locator("head link[rel=icon]").GetAttributeAsync("href");
        Assert.NotNull(href);
        var url = new Uri(new Uri(page.Url), href).ToString();
        var response = await page.APIRequest.GetAsync(url);
        Assert.Equal(200, response.Status);
        Assert.Equal("image/svg+xml", response.Headers["content-type"]);

        // And the browser draws it: the page's own policy (img-src 'self') lets it load as an image.
        Assert.True(await page.EvaluateAsync<bool>("""
            href => new Promise(resolve => {
                const image = new Image();
                image.onload = () => resolve(image.naturalWidth > 0);
                image.onerror = () => resolve(false);
                image.src = href;
            })
            """, url));
    }
}
