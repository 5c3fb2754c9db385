using System.Globalization;
using System.Text.RegularExpressions;
using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class RecurringPoolsTypesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task RecurringJob_PauseResumeAndRunNow_FromTheRecurringPage_Live()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleRecurringAsync(E2EJobs.Note, new NoteArgs("every hour"), TimeSpan.FromHours(1),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url("recurring"));
        var row = page.Locator($"[data-testid=recurring-row][data-job-id='{job.Id}']");
        await Expect(row).ToHaveAttributeAsync("data-paused", "false");
        await Expect(row).ToContainTextAsync("every 1 h");
        await Expect(row).ToContainTextAsync("not run yet");

        await row.GetByTestId("recurring-pause").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-paused", "true");
        Assert.Equal(JobStatus.Paused, (await server.Client.GetAsync(job.Id)).Status);

        await row.GetByTestId("recurring-resume").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-paused", "false");
        await Expect(row).ToContainTextAsync(new Regex(@"in \d+ min"));
        Assert.Equal(job.RunAt, (await server.Client.GetAsync(job.Id)).RunAt); // Resumed at the occurrence it was waiting for.

        await row.GetByTestId("recurring-run-now").ClickAsync();
        await Expect(row).ToContainTextAsync("Finished");
        var ran = await server.Client.GetAsync(job.Id);
        Assert.Equal(JobStatus.Queued, ran.Status);
        Assert.True(ran.RunAt > DateTimeOffset.UtcNow, $"next run {ran.RunAt:o} is ahead");
    }

    [Fact]
    public async Task PoolsAndJobTypes_ShowThisProcessPoolAndCountsPerStatus()
    {
        var server = fixture.Server;
        var key = "types-" + Guid.NewGuid().ToString("N")[..8];
        var failed = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs(key));
        await Eventually.StatusAsync(server.Client, failed.Id, JobStatus.Failed);
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        await page.OpenAsync(server.Url("pools"));
        var pool = page.TestId("pool-row").Filter(new() { HasText = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) });
        await Expect(pool).ToHaveCountAsync(1);
        await Expect(pool).ToHaveAttributeAsync("data-stale", "false");
        await Expect(pool).ToContainTextAsync("/ 10");
        await Expect(pool).ToContainTextAsync("alpha, beta");

        await page.TestId("nav-types").ClickAsync();
        var flaky = page.Locator($"[data-testid=type-row][data-type='{E2EJobs.Flaky}']");
        await Expect(flaky).ToContainTextAsync("default");
        var failedCount = long.Parse(await flaky.GetByTestId("type-count-Failed").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var stored = (await server.Monitor.GetJobTypesAsync()).Single(t => t.Name == E2EJobs.Flaky).Counts[JobStatus.Failed];
        Assert.True(failedCount >= 1 && failedCount <= stored, $"shown {failedCount}, stored {stored}");

        await flaky.GetByTestId("type-count-Failed").Locator("a").ClickAsync();
        await Expect(page.TestId("jobs-table")).ToBeVisibleAsync();
        Assert.Contains($"type={E2EJobs.Flaky}", page.Url, StringComparison.Ordinal);
        Assert.Contains("status=Failed", page.Url, StringComparison.Ordinal);
        await Expect(page.Row(failed.Id)).ToBeVisibleAsync();
    }
}
