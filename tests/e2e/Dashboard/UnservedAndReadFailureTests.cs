using System.Net.Sockets;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>What the dashboard says when work cannot run (no pool serves its queue or runs its type) and when it cannot read (the database is down).</summary>
[Collection(DashboardTests.Name)]
public sealed class UnservedAndReadFailureTests(DashboardFixture fixture)
{
    [Fact]
    public async Task JobInAQueueNoPoolServes_DetailAndOverview_SayNoRunningPoolServesItAndRunNowWaits()
    {
        var server = fixture.Server;
        var queue = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        var stuck = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("stuck"), new JobScheduleOptions { Queue = queue });
        var served = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("served"),
            new JobScheduleOptions { Queue = "alpha", RunAt = DateTimeOffset.UtcNow.AddHours(1) });

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{stuck.Id}"));
        await Expect(page.TestId("job-unserved")).ToContainTextAsync($"No running pool serves queue {queue}, so this {E2EJobs.Note} job stays queued");
        await Expect(page.TestId("job-unserved")).ToContainTextAsync("Running pools serve: alpha, beta, default.");
        await Expect(page.TestId("action-run-now")).ToHaveTextAsync("Run now (waits for a pool)");

        await page.OpenAsync(server.Url($"jobs/{served.Id}"));
        await Expect(page.TestId("job-fields")).ToBeVisibleAsync();
        await Expect(page.TestId("job-unserved")).ToHaveCountAsync(0);
        await Expect(page.TestId("action-run-now")).ToHaveTextAsync("Run now");

        await page.OpenAsync(server.Url(""));
        var work = page.Locator($"[data-testid=unserved-work][data-queue='{queue}']");
        await Expect(work).ToHaveTextAsync($"{E2EJobs.Note} in queue {queue}: 1 queued");
        await Expect(page.TestId("unserved")).ToContainTextAsync("where no running pool takes them");
        await Expect(page.Locator("[data-testid=unserved-work][data-queue=alpha]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task JobOfATypeNoPoolRuns_InAServedQueue_DetailAndOverviewSaySo()
    {
        var server = fixture.Server;
        var type = "nobody-runs-" + Guid.NewGuid().ToString("N")[..8];
        // Another process that knows the type schedules it, and runs no pool: the dashboard's own pool serves "default" but
        // not this type.
        var producer = new ServiceCollection();
        producer.AddJobs(o => o.UseSqlite(server.ConnectionString)).AddJobType(type, _ => Task.CompletedTask);
        await using var services = producer.BuildServiceProvider();
        var stuck = await services.GetRequiredService<IJobClient>().ScheduleAsync(type);

        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url($"jobs/{stuck.Id}"));
        await Expect(page.TestId("job-unserved")).ToContainTextAsync($"No running pool serving queue default runs {type} jobs, so this job stays queued");

        await page.OpenAsync(server.Url(""));
        await Expect(page.Locator($"[data-testid=unserved-work][data-queue=default]").Filter(new() { HasText = type }))
            .ToHaveTextAsync($"{type} in queue default: 1 queued");
    }

    [Fact]
    public async Task DatabaseDown_EveryPageThatReads_NamesTheProviderAndTheInnermostError()
    {
        var database = new LiveIndicatorTests.DatabaseSwitch
        {
            // As EF's retrying strategy reports a refused connection: its own words outside, the cause inside.
            Failure = () => new InvalidOperationException(
                "An exception has been raised that is likely due to a transient failure.",
                new SocketException((int)SocketError.ConnectionRefused)),
        };
        await using var server = new DashboardServer(services: database.Install);
        var job = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("down"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url(""));
        await Expect(page.TestId("count-Queued")).ToContainTextAsync("1");

        database.Reachable = false;
        var error = page.TestId("read-error");
        var refused = new SocketException((int)SocketError.ConnectionRefused).Message;
        await Expect(error).ToHaveTextAsync($"Could not read the jobs: SQLite unreachable: {refused}");
        await Expect(page.TestId("live")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex($": {refused}$"));

        foreach (var (href, what) in (ValueTuple<string, string>[])[
            ("jobs", "the jobs"), ($"jobs/{job.Id}", $"job {job.Id}"), ("recurring", "the recurring jobs"), ("pools", "the pools"), ("types", "the job types"), ("audit", "the audit log"), ("deleted", "the deleted jobs")])
        {
            await page.OpenAsync(server.Url(href));
            await Expect(error).ToHaveTextAsync($"Could not read {what}: SQLite unreachable: {refused}");
            await Expect(page.Locator("body")).Not.ToContainTextAsync("likely due to a transient failure");
        }
    }
}
