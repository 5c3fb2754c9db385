using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;
using Jobs.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Testing;

/// <summary>The testing kit on every provider: what users' own tests rely on when they assert and run jobs.</summary>
public sealed class JobsTesterTests
{
    private readonly ConcurrentQueue<string> _ran = new();

    private sealed record Order(int Id, string Customer);

    [Theory, AllProviders]
    public async Task AssertScheduledAsync_PayloadInAnotherPropertyOrder_ReturnsTheNewestMatch(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var client = app.GetRequiredService<IJobClient>();
        await client.ScheduleAsync("order", new Order(1, "ada"));
        var newest = await client.ScheduleAsync("order", new Order(1, "ada"), new JobScheduleOptions { RunAt = tester.Time.GetUtcNow().AddHours(1) });

        var found = await tester.AssertScheduledAsync("order", new { Customer = "ada", Id = 1 });

        Assert.Equal(newest.Id, found.Id);
        Assert.Equal(tester.Time.GetUtcNow().AddHours(1), found.RunAt);
    }

    [Theory, AllProviders]
    public async Task AssertScheduledAsync_OnlyOtherPayloads_ThrowsListingThem(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        await app.GetRequiredService<IJobClient>().ScheduleAsync("order", new Order(2, "bob"));

        var error = await Assert.ThrowsAsync<JobsAssertionException>(() => tester.AssertScheduledAsync("order", new Order(1, "ada")));

        Assert.Contains("""payload {"id":1,"customer":"ada"}""", error.Message, StringComparison.Ordinal);
        Assert.Contains("""1 job of that type is waiting to run""", error.Message, StringComparison.Ordinal);
        Assert.Contains("""{"id":2,"customer":"bob"}""", error.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task AssertScheduledAsync_NoJobOfTheType_ThrowsNamingTheQueuedTypes(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        await app.GetRequiredService<IJobClient>().ScheduleAsync("plain");

        var error = await Assert.ThrowsAsync<JobsAssertionException>(() => tester.AssertScheduledAsync("order"));

        Assert.Equal("Expected a job of type 'order' waiting to run, but none is. Queued types: 'plain' (1).", error.Message);
    }

    [Theory, AllProviders]
    public async Task AssertNotScheduledAsync_MatchingJobQueued_ThrowsNamingIt(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var job = await app.GetRequiredService<IJobClient>().ScheduleAsync("order", new Order(1, "ada"));

        await tester.AssertNotScheduledAsync("order", new Order(2, "ada"));
        await tester.AssertNotScheduledAsync("plain");
        var error = await Assert.ThrowsAsync<JobsAssertionException>(() => tester.AssertNotScheduledAsync("order", new Order(1, "ada")));
        await Assert.ThrowsAsync<JobsAssertionException>(() => tester.AssertNotScheduledAsync("order"));

        Assert.Contains($"job {job.Id} is", error.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_SeveralDue_RunsThemOneAtATimeInClaimOrder(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var client = app.GetRequiredService<IJobClient>();
        var low = await client.ScheduleAsync("order", new Order(1, "low"));
        var high = await client.ScheduleAsync("order", new Order(2, "high"), new JobScheduleOptions { Priority = 5 });
        var later = await client.ScheduleAsync("order", new Order(3, "later"), new JobScheduleOptions { RunAt = tester.Time.GetUtcNow().AddMinutes(1) });
        var other = await client.ScheduleAsync("plain", new JobScheduleOptions { Queue = "other" });

        var ran = await tester.RunDueJobsAsync();

        Assert.Equal([high.Id, low.Id, other.Id], ran.Select(j => j.Id));
        Assert.All(ran, j => Assert.Equal(JobStatus.Finished, j.Status));
        Assert.Equal(["high", "low", "plain"], _ran);
        Assert.Equal(JobStatus.Queued, (await client.GetAsync(later.Id)).Status);
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_JobDueLater_RunsOnceTimeHasReachedItsRunTime(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var job = await app.GetRequiredService<IJobClient>().ScheduleAsync("plain", new JobScheduleOptions { RunAt = tester.Time.GetUtcNow().AddMinutes(10) });

        tester.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await tester.RunDueJobsAsync());
        tester.Time.Advance(TimeSpan.FromMilliseconds(1));
        var ran = Assert.Single(await tester.RunDueJobsAsync());

        Assert.Equal(job.Id, ran.Id);
        Assert.Equal(tester.Time.GetUtcNow(), ran.StartedAt);
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_JobSchedulesAnother_RunsBothInOneCall(string provider)
    {
        await using var app = await BuildAsync(provider, b => b.AddJobType("parent", ctx => ctx.Services.GetRequiredService<IJobClient>().ScheduleAsync("plain")));
        var tester = app.GetRequiredService<JobsTester>();
        await app.GetRequiredService<IJobClient>().ScheduleAsync("parent");

        var ran = await tester.RunDueJobsAsync();

        Assert.Equal(["parent", "plain"], ran.Select(j => j.Type));
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_RecurringJob_RunsOncePerOccurrenceAndOnceAfterALongGap(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var job = await app.GetRequiredService<IJobClient>().ScheduleRecurringAsync("plain", TimeSpan.FromMinutes(1));

        Assert.Single(await tester.RunDueJobsAsync());
        Assert.Empty(await tester.RunDueJobsAsync());
        tester.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await tester.RunDueJobsAsync());
        tester.Time.Advance(TimeSpan.FromMinutes(30));
        var last = Assert.Single(await tester.RunDueJobsAsync());

        Assert.Equal((JobStatus.Queued, job.Id), (last.Status, last.Id));
        Assert.Equal(tester.Time.GetUtcNow().AddMinutes(1), last.RunAt);
        Assert.Equal(3, _ran.Count);
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_TypeWithoutHandlerHere_LeavesItQueued(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        // Another process's type: scheduled by name, handled elsewhere.
        var elsewhere = await app.GetRequiredService<IJobClient>().ScheduleManyAsync([JobRequest.Create("plain")]);
        await using var other = await BuildAsync(provider, b => b.AddJobType("unknown-here", _ => Task.CompletedTask), database: _database);
        await other.GetRequiredService<IJobClient>().ScheduleAsync("unknown-here");

        var ran = await tester.RunDueJobsAsync();

        Assert.Equal([elsewhere[0].Id], ran.Select(j => j.Id));
        await tester.AssertScheduledAsync("unknown-here");
    }

    [Theory, AllProviders]
    public async Task RunAsync_OtherJobsOfTheTypeDue_RunsOnlyItsOwnJob(string provider)
    {
        await using var app = await BuildAsync(provider);
        var tester = app.GetRequiredService<JobsTester>();
        var waiting = await app.GetRequiredService<IJobClient>().ScheduleAsync("order", new Order(1, "first"));

        var job = await tester.RunAsync("order", new Order(2, "second"));

        Assert.Equal((JobStatus.Finished, 1), (job.Status, job.Attempt));
        Assert.Equal(["second"], _ran);
        Assert.Equal(waiting.Id, (await tester.AssertScheduledAsync("order", new Order(1, "first"))).Id);
    }

    [Theory, AllProviders]
    public async Task RunAsync_HandlerThrowsWithNoRetries_ReturnsTheJobFailedWithItsError(string provider)
    {
        await using var app = await BuildAsync(provider, b => b.AddJobType("broken", _ => throw new InvalidOperationException("no stock"), t => t.MaxRetries = 0));
        var tester = app.GetRequiredService<JobsTester>();

        var job = await tester.RunAsync("broken");

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal((typeof(InvalidOperationException).FullName, "no stock"), (job.LastError?.Type, job.LastError?.Message));
    }

    [Theory, AllProviders]
    public async Task RunDueJobsAsync_JobReschedulesItselfAtOnce_ThrowsAtTheAttemptLimit(string provider)
    {
        await using var app = await BuildAsync(provider, b => b.AddJobType("echo", ctx => ctx.Services.GetRequiredService<IJobClient>().ScheduleAsync("echo")));
        var tester = app.GetRequiredService<JobsTester>();
        tester.AttemptLimit = 5;
        await app.GetRequiredService<IJobClient>().ScheduleAsync("echo");

        var error = await Assert.ThrowsAsync<JobsAssertionException>(() => tester.RunDueJobsAsync());

        Assert.StartsWith("RunDueJobsAsync ran 5 attempts and job 6 (echo) is still due", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddJobsTesting_HostStarted_PoolStaysOffAndJobsWaitForTheTester()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(await TestDatabases.CreateAsync(TestDatabases.Sqlite)).AddJobType("plain", _ => Task.CompletedTask);
        builder.Services.AddJobsTesting(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = builder.Build();
        await host.StartAsync();
        var tester = host.Services.GetRequiredService<JobsTester>();

        var job = await host.Services.GetRequiredService<IJobClient>().ScheduleAsync("plain");

        Assert.False(host.Services.GetRequiredService<IOptions<JobsOptions>>().Value.Pool.Enabled);
        Assert.Same(tester.Time, host.Services.GetRequiredService<TimeProvider>());
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), job.CreatedAt);
        Assert.Equal(job.Id, Assert.Single(await tester.RunDueJobsAsync()).Id);
        await host.StopAsync();
    }

    [Fact]
    public void AddJobsTesting_WithoutAddJobs_ThrowsNamingTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddJobsTesting());

        Assert.Contains("call services.AddJobs(...) first", error.Message, StringComparison.Ordinal);
    }

    private Action<JobsOptions>? _database;

    private async Task<ServiceProvider> BuildAsync(string provider, Action<IJobsBuilder>? more = null, Action<JobsOptions>? database = null)
    {
        _database = database ?? await TestDatabases.CreateAsync(provider);
        var services = new ServiceCollection();
        var jobs = services.AddJobs(_database);
        jobs.AddJobType<Order>("order", (o, _) =>
        {
            _ran.Enqueue(o.Customer);
            return Task.CompletedTask;
        });
        jobs.AddJobType("plain", _ =>
        {
            _ran.Enqueue("plain");
            return Task.CompletedTask;
        });
        more?.Invoke(jobs);

        services.AddJobsTesting();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
