using System.Collections.Concurrent;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>The one rule of state: every transition is a compare-and-swap on the version, so racing writers never both win.</summary>
public sealed class ConcurrencyTests
{
    internal sealed record Item(int N);

    [Theory, AllProviders]
    public async Task Pools_TwoPoolsDrainOneDatabase_EveryJobRunsOnce(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var runs = new ConcurrentDictionary<int, int>();
        Action<IJobsBuilder> types = b => b.AddJobType<Item>("shared", (a, _) =>
        {
            runs.AddOrUpdate(a.N, 1, (_, c) => c + 1);
            return Task.CompletedTask;
        });
        await using var producer = await JobsHarness.CreateAsync(db, types, startPool: false);
        await producer.Client.ScheduleManyAsync(Enumerable.Range(0, 1000).Select(i => JobRequest.Create("shared", new Item(i))));

        await using var first = await JobsHarness.CreateAsync(db, types, o => o.Pool.NumWorkers = 8);
        await using var second = await JobsHarness.CreateAsync(db, types, o => o.Pool.NumWorkers = 8);
        await Eventually.TrueAsync(async () => (await producer.Monitor.CountByStatusAsync())[JobStatus.Finished] == 1000, "1000 finished", TimeSpan.FromMinutes(2));

        Assert.Equal(1000, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    [Theory, AllProviders]
    public async Task CancelAsync_RacingWorkerCompletion_CancelledJobsNeverEndFinished(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType<Item>("race", (_, _) => Task.CompletedTask), o => o.Pool.NumWorkers = 8, startPool: false);
        var scheduled = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 200).Select(i => JobRequest.Create("race", new Item(i))));
        var cancelWon = new ConcurrentDictionary<long, bool>();

        await jobs.Pool.StartAsync();
        await Parallel.ForEachAsync(scheduled, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (job, ct) =>
        {
            try
            {
                await job.CancelAsync(ct);
                cancelWon[job.Id] = true;
            }
            catch (InvalidJobStateException)
            {
                cancelWon[job.Id] = false;
            }
        });
        await Eventually.TrueAsync(async () =>
        {
            var c = await jobs.Monitor.CountByStatusAsync();
            return c[JobStatus.Finished] + c[JobStatus.Cancelled] == 200;
        }, "every job finished or cancelled");

        foreach (var job in scheduled)
        {
            await job.RefreshAsync();
            var kinds = (await job.GetHistoryAsync()).Select(e => e.Kind).ToList();
            if (cancelWon[job.Id])
            {
                Assert.Equal(JobStatus.Cancelled, job.Status);
                Assert.DoesNotContain(JobEventKind.Succeeded, kinds);
            }
            else
            {
                Assert.Equal(JobStatus.Finished, job.Status);
                Assert.DoesNotContain(JobEventKind.Cancelled, kinds);
            }
        }
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_RacingClaim_ExactlyOneWins(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("r", _ => Task.CompletedTask), startPool: false);
        var store = jobs.Services.GetRequiredService<IJobDriver>();
        var later = DateTimeOffset.UtcNow.AddHours(1);

        for (var round = 0; round < 30; round++)
        {
            var job = await jobs.Client.ScheduleAsync("r");
            var now = DateTime.UtcNow;
            var claim = Task.Run(async () => await store.ClaimReadyAsync(new ClaimRequest(["default"], ["r"], 1, "racer"), now, CancellationToken.None));
            var reschedule = Task.Run(() => job.RescheduleAsync(later));
            var claimed = await claim;
            var rescheduleRefused = await Record.ExceptionAsync(() => reschedule) is InvalidJobStateException;

            await job.RefreshAsync();
            if (claimed.Count == 1)
            {
                Assert.True(rescheduleRefused, "a reschedule must not win against a claim that won");
                Assert.Equal(JobStatus.Executing, job.Status);
            }
            else
            {
                Assert.False(rescheduleRefused);
                Assert.Equal(JobStatus.Queued, job.Status);
                Assert.Equal(later.UtcTicks / 10, job.RunAt.UtcTicks / 10);
            }

            await job.DeleteAsync();
        }
    }
}
