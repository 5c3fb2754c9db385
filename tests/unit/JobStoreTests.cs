using Jobs.Execution;
using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>The store's combined writes: what lands together in one transaction, and what a lost compare-and-swap leaves.</summary>
public sealed class JobStoreTests
{
    [Theory, AllProviders]
    public async Task ApplyAndClaimAsync_OutcomeAndReadyJobs_StoredAndClaimedInOneTransaction(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(
            await TestDatabases.CreateAsync(provider), b => b.AddJobType("t", _ => Task.CompletedTask), startPool: false, extra: s => s.AddMetrics());
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();
        using var transactions = new TransactionCounter(jobs.Services);
        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 4).Select(_ => JobRequest.Create("t")));
        var (_, first) = await store.ClaimReadyAsync(new ClaimRequest(["default"], ["t"], 1, "pool-a"), DateTime.UtcNow, CancellationToken.None);
        var running = Assert.Single(first);
        var before = transactions.Count;

        var now = DateTime.UtcNow;
        var (applied, attempted, claimed) = await store.ApplyAndClaimAsync(
            [Transitions.For(new JobOutcome(running, running.Version, "pool-a", OutcomeKind.Succeeded, now))],
            new ClaimRequest(["default"], ["t"], 2, "pool-a"), now, CancellationToken.None);

        Assert.Equal(1, transactions.Count - before);
        Assert.Equal([true], applied);
        Assert.Equal(2, attempted);
        Assert.Equal(2, claimed.Count);
        Assert.DoesNotContain(claimed, j => j.Id == running.Id);
        Assert.All(claimed, j => Assert.Equal(JobStatus.Executing, j.Status));
        Assert.Equal(JobStatus.Finished, (await jobs.Client.GetAsync(running.Id)).Status);
        var counts = await jobs.Monitor.CountByStatusAsync();
        Assert.Equal((1, 2, 1), (counts[JobStatus.Queued], counts[JobStatus.Executing], counts[JobStatus.Finished]));
    }

    [Theory, AllProviders]
    public async Task ApplyAndClaimAsync_OutcomeLostItsSwap_ClaimStillLandsAndRowKeepsTheOtherWrite(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("t", _ => Task.CompletedTask), startPool: false);
        var store = jobs.Services.GetRequiredService<SqlJobDriver>();
        await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 2).Select(_ => JobRequest.Create("t")));
        var (_, first) = await store.ClaimReadyAsync(new ClaimRequest(["default"], ["t"], 1, "pool-a"), DateTime.UtcNow, CancellationToken.None);
        var running = Assert.Single(first);
        await jobs.Services.GetRequiredService<IJobAdmin>().CancelAsync(new JobTarget(running.Id)); // Moves the version: the outcome below is stale.

        var now = DateTime.UtcNow;
        var (applied, _, claimed) = await store.ApplyAndClaimAsync(
            [Transitions.For(new JobOutcome(running, running.Version, "pool-a", OutcomeKind.Succeeded, now))],
            new ClaimRequest(["default"], ["t"], 1, "pool-a"), now, CancellationToken.None);

        Assert.Equal([false], applied);
        Assert.Single(claimed);
        var row = await jobs.Client.GetAsync(running.Id);
        Assert.Equal(JobStatus.Executing, row.Status);
        Assert.True(row.CancelRequested);
    }
}
