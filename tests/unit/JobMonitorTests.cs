using Jobs.Tests.Infrastructure;

namespace Jobs.Tests;

public sealed class JobMonitorTests
{
    internal sealed record Item(int N);

    [Theory, AllProviders]
    public async Task ListAsync_FilterByStatusAndType_PagesInPriorityOrderWithTotal(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Item>("a", (_, _) => Task.CompletedTask)
            .AddJobType<Item>("b", (_, _) => Task.CompletedTask), startPool: false);
        for (var i = 0; i < 10; i++)
        {
            await jobs.Client.ScheduleAsync("a", new Item(i), new JobScheduleOptions { Priority = i % 3 });
        }

        await jobs.Client.ScheduleAsync("b", new Item(99), new JobScheduleOptions { Priority = 100 });
        var cancelled = await jobs.Client.ScheduleAsync("a", new Item(50), new JobScheduleOptions { Priority = 100 });
        await cancelled.CancelAsync();

        var first = await jobs.Monitor.ListAsync(new JobQuery { Status = JobStatus.Queued, Type = "a", Take = 4 });
        var second = await jobs.Monitor.ListAsync(new JobQuery { Status = JobStatus.Queued, Type = "a", Skip = 4, Take = 4 });

        Assert.Equal(10, first.Total);
        Assert.Equal([2, 2, 2, 1], first.Items.Select(j => j.Priority));
        Assert.Equal([1, 1, 0, 0], second.Items.Select(j => j.Priority));
        Assert.All(first.Items.Concat(second.Items), j => Assert.Equal("a", j.Type));
        var counts = await jobs.Monitor.CountByStatusAsync();
        Assert.Equal(11, counts[JobStatus.Queued]);
        Assert.Equal(1, counts[JobStatus.Cancelled]);
        Assert.Equal(0, counts[JobStatus.Failed]);
    }

    [Theory, AllProviders]
    public async Task CountByStatusAsync_AtMost_ExactUpToTheBoundOneAboveBeyondIt(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Item>("a", (_, _) => Task.CompletedTask), startPool: false);
        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 8).Select(i => JobRequest.Create("a", new Item(i))));
        var cancelled = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 2).Select(i => JobRequest.Create("a", new Item(i))));
        foreach (var job in cancelled)
        {
            await job.CancelAsync();
        }

        var bounded = await jobs.Monitor.CountByStatusAsync(atMost: 5);
        var exactAtTheBound = await jobs.Monitor.CountByStatusAsync(atMost: 8);

        Assert.Equal(6, bounded[JobStatus.Queued]);
        Assert.Equal(2, bounded[JobStatus.Cancelled]);
        Assert.Equal(0, bounded[JobStatus.Failed]);
        Assert.Equal(Enum.GetValues<JobStatus>().Length, bounded.Count);
        Assert.Equal(8, exactAtTheBound[JobStatus.Queued]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Monitor.CountByStatusAsync(atMost: 0));
    }

    [Theory, AllProviders]
    public async Task ListAsync_CountAtMost_TotalStopsOneAboveTheBound(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Item>("a", (_, _) => Task.CompletedTask), startPool: false);
        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 8).Select(i => JobRequest.Create("a", new Item(i))));

        var bounded = await jobs.Monitor.ListAsync(new JobQuery { Type = "a", Take = 3, CountAtMost = 5 });
        var exact = await jobs.Monitor.ListAsync(new JobQuery { Type = "a", Take = 3, CountAtMost = 8 });

        Assert.Equal(6, bounded.Total);
        Assert.Equal(3, bounded.Items.Count);
        Assert.Equal(8, exact.Total);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Monitor.ListAsync(new JobQuery { CountAtMost = 0 }));
    }

    [Theory, AllProviders]
    public async Task GetPoolsAsync_RunningPool_ListedWithWorkersQueuesAndJobTypes(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType("x", _ => Task.CompletedTask).AddJobType("émail, \"quoted\"", _ => Task.CompletedTask));

        var pool = Assert.Single(await jobs.Monitor.GetPoolsAsync());

        Assert.Equal(jobs.Pool.Id, pool.Id);
        Assert.Equal(4, pool.NumWorkers);
        Assert.Equal(["default"], pool.Queues);
        Assert.Equal(Environment.ProcessId, pool.ProcessId);
        Assert.Equal(["x", "émail, \"quoted\""], pool.JobTypes!.Order(StringComparer.Ordinal));
    }
}
