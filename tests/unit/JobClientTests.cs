using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

public sealed class JobClientTests
{
    internal sealed record Email(string To, int Count);

    internal sealed record Other(string Name);

    private static void Types(IJobsBuilder b) => b
        .AddJobType<Email>("email", (_, _) => Task.CompletedTask, t => t.MaxRetries = 5)
        .AddJobType("no-args", _ => Task.CompletedTask);

    [Theory, AllProviders]
    public async Task ScheduleAsync_UnregisteredType_ThrowsNamingTheTypeAndStoresNothing(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("nope", new Email("a", 1)));

        Assert.Contains("'nope' is not registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("email", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_WrongArgsType_ThrowsNamingBothTypes(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("email", new Other("x")));

        Assert.Contains(typeof(Email).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Other).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_ArgsForTypeWithoutPayload_Throws(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("no-args", new Other("x")));

        Assert.Contains("takes no payload", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_OneOff_StoresQueuedJobWithTypeDefaultsAndCallOptions(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);
        var runAt = DateTimeOffset.UtcNow.AddHours(1);

        var job = await jobs.Client.ScheduleAsync("email", new Email("a@b.c", 3), new JobScheduleOptions { Priority = 7, RunAt = runAt, Queue = "mail" });
        var loaded = await jobs.Client.GetAsync(job.Id);

        Assert.Equal(JobStatus.Queued, loaded.Status);
        Assert.Equal("email", loaded.Type);
        Assert.Equal("mail", loaded.Queue);
        Assert.Equal(7, loaded.Priority);
        Assert.Equal(runAt.UtcTicks / 10, loaded.RunAt.UtcTicks / 10);
        Assert.Equal(5, loaded.MaxRetries);
        Assert.Equal(5, loaded.RetriesLeft);
        Assert.Equal(0, loaded.Attempt);
        Assert.Null(loaded.Interval);
        Assert.Null(loaded.StartedAt);
        Assert.Null(loaded.Duration);
        Assert.Contains("a@b.c", loaded.Payload, StringComparison.Ordinal);
        var history = await loaded.GetHistoryAsync();
        Assert.Equal(JobEventKind.Scheduled, Assert.Single(history).Kind);
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAsync_ThousandJobs_StoredInOneTransaction(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false, extra: s => s.AddMetrics());
        await jobs.Monitor.CountByStatusAsync(); // Initializes the schema outside the measured call.
        using var transactions = new TransactionCounter(jobs.Services);
        var before = transactions.Count;

        var scheduled = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 1000).Select(i => JobRequest.Create("email", new Email("x", i))));

        Assert.Equal(1, transactions.Count - before);
        Assert.Equal(1000, scheduled.Select(j => j.Id).Distinct().Count());
        Assert.Equal(1000, (await jobs.Monitor.CountByStatusAsync())[JobStatus.Queued]);
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAsync_MixedRequestsOverSeveralStatements_EachHandleMatchesItsStoredRow(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var requests = Enumerable.Range(0, 2500).Select(i => i % 3 == 0
            ? JobRequest.Create("no-args", new JobScheduleOptions { Priority = i % 7, RunAt = later.AddSeconds(i) })
            : JobRequest.Create("email", new Email("x", i), new JobScheduleOptions { Priority = i % 7, Queue = "q" + (i % 4) })).ToList();

        var scheduled = await jobs.Client.ScheduleManyAsync(requests);

        Assert.Equal(2500, scheduled.Count);
        Assert.True(scheduled.Zip(scheduled.Skip(1)).All(p => p.First.Id < p.Second.Id));
        foreach (var i in Enumerable.Range(0, 2500).Where(i => i % 97 == 0 || i >= 2495))
        {
            var stored = await jobs.Client.GetAsync(scheduled[i].Id);
            Assert.Equal(scheduled[i].Version, stored.Version);
            Assert.Equal(i % 7, stored.Priority);
            if (i % 3 == 0)
            {
                Assert.Equal("no-args", stored.Type);
                Assert.Null(stored.Payload);
                Assert.Equal(later.AddSeconds(i).UtcTicks / 10, stored.RunAt.UtcTicks / 10);
            }
            else
            {
                Assert.Equal("q" + (i % 4), stored.Queue);
                Assert.Equal($"{{\"to\":\"x\",\"count\":{i}}}", stored.Payload);
            }

            Assert.Equal(JobEventKind.Scheduled, Assert.Single(await stored.GetHistoryAsync()).Kind);
        }

        // The versions handed back are the stored ones: a change made through a handle is not refused as "changed meanwhile".
        await scheduled[^1].CancelAsync();
        Assert.Equal(JobStatus.Cancelled, scheduled[^1].Status);
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAsync_OneInvalidRequest_StoresNone(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleManyAsync(
            [JobRequest.Create("email", new Email("x", 1)), JobRequest.Create("missing")]));

        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleRecurringAsync_NonPositiveInterval_Throws(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Client.ScheduleRecurringAsync("email", new Email("x", 1), TimeSpan.Zero));
    }

    [Theory, AllProviders]
    public async Task GetAsync_MissingId_ThrowsJobNotFound(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<JobNotFoundException>(() => jobs.Client.GetAsync(424242));

        Assert.Equal(424242, ex.JobId);
        Assert.Contains("424242", ex.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task ScheduleRecurringAsync_TypeWithoutPayload_StoresRecurringJob(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var job = await jobs.Client.ScheduleRecurringAsync("no-args", TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), job.Interval);
        Assert.Null(job.Payload);
    }
}
