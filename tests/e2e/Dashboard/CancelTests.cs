using Jobs.E2E.Dashboard.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class CancelTests(DashboardFixture fixture)
{
    [Fact]
    public async Task CancelScheduledJob_FromDetailPage_EndsCancelledLive()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("later"),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Queued");
        await page.MarkDocumentAsync();

        await page.TestId("action-cancel").ClickAsync();
        await Expect(page.TestId("confirm-text")).ToContainTextAsync("It will not run.");
        await page.TestId("confirm").ClickAsync();

        await Expect(page.TestId("job-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.TestId("notice")).ToHaveTextAsync($"Job {job.Id} cancelled.");
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Cancelled]")).ToHaveCountAsync(1);
        await Expect(page.TestId("action-cancel")).ToHaveCountAsync(0);
        await page.ExpectSameDocumentAsync();
        Assert.Equal(JobStatus.Cancelled, (await server.Client.GetAsync(job.Id)).Status);
    }

    [Fact]
    public async Task CancelExecutingJob_HandlerWaitingOnItsToken_EndsCancelledLive()
    {
        var server = fixture.Server;
        var key = "wait-" + Guid.NewGuid().ToString("N")[..10];
        var job = await server.Client.ScheduleAsync(E2EJobs.Wait, new WaitArgs(key));
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Executing");
        await page.MarkDocumentAsync();

        await page.TestId("action-cancel").ClickAsync();
        await Expect(page.TestId("confirm-text")).ToContainTextAsync("cancellation token is cancelled");
        await page.TestId("confirm").ClickAsync();

        await Expect(page.TestId("job-status")).ToHaveTextAsync("Cancelled");

        // The request returns while the job still executes; by the time the page shows the notice it may have ended, so the notice
        // says what happens, not a status the chip beside it contradicts.
        await Expect(page.TestId("notice")).ToHaveTextAsync($"Job {job.Id}: cancel requested; the job stops at its next cancellation check.");
        await Expect(page.TestId("notice")).Not.ToContainTextAsync("executing");
        await E2EJobs.CancelledTask(key).WaitAsync(DashboardFixture.Patience);
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=CancelRequested]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Cancelled]")).ToHaveCountAsync(1);
        await page.ExpectSameDocumentAsync();
        var stored = await server.Client.GetAsync(job.Id);
        Assert.Equal(JobStatus.Cancelled, stored.Status);
        Assert.Null(stored.LastError);
    }

    [Fact]
    public async Task ActionOnJobThatChangedMeanwhile_RefusedWithMessage_ShowsFreshState()
    {
        var server = fixture.Server;
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("contested"),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{job.Id}"));
        await Expect(page.TestId("job-status")).ToHaveTextAsync("Queued");

        // Another operator cancels it while this page shows it queued; the dialog is already open on the old state.
        await page.TestId("action-delete").ClickAsync();
        await Expect(page.TestId("confirm")).ToBeVisibleAsync();
        var other = await server.Client.GetAsync(job.Id);
        await other.RescheduleAsync(DateTimeOffset.UtcNow.AddHours(2));
        await page.TestId("confirm").ClickAsync();

        var notice = page.TestId("notice");
        await Expect(notice).ToHaveAttributeAsync("data-kind", "changed");
        await Expect(notice).ToContainTextAsync($"Job {job.Id} changed meanwhile");
        await Expect(page.Locator("[data-testid=timeline-event][data-kind=Rescheduled]")).ToHaveCountAsync(1);
        var stored = await server.Client.GetAsync(job.Id);
        Assert.Equal(JobStatus.Queued, stored.Status);
    }
}
