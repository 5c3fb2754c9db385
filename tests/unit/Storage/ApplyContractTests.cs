using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for writes: every change is a compare-and-swap on the row's version, judged update by
/// update, with its events written only when it won.</summary>
public sealed class ApplyContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    private static readonly bool[] Won = [true];

    [Theory, AllProviders]
    public async Task ApplyAsync_CurrentAndStaleVersions_EachJudgedAloneAndOnlyWinnersWriteEvents(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (_, _, claimed) = await InsertAndClaimAsync(driver, 2, "pool-a", now);
        var (won, stale) = (claimed[0], claimed[1]);

        var applied = await driver.ApplyAsync(
        [
            new JobUpdate(won.Id, won.Version, JobChange.Succeeded(now)).Event(JobEventKind.Succeeded, 1, "pool-a"),
            new JobUpdate(stale.Id, stale.Version - 1, JobChange.Succeeded(now)).Event(JobEventKind.Succeeded, 1, "pool-a"),
        ], now, CancellationToken.None);

        Assert.Equal([true, false], applied);
        var rows = (await driver.FindManyAsync([won.Id, stale.Id], CancellationToken.None)).ToDictionary(j => j.Id);
        Assert.Equal((JobStatus.Finished, (DateTime?)now), (rows[won.Id].Status, rows[won.Id].FinishedAt));
        Assert.NotEqual(won.Version, rows[won.Id].Version);
        Assert.Equal((JobStatus.Executing, stale.Version), (rows[stale.Id].Status, rows[stale.Id].Version));
        Assert.Contains(await driver.ReadHistoryAsync(won.Id, CancellationToken.None), e => e.Kind == JobEventKind.Succeeded);
        Assert.DoesNotContain(await driver.ReadHistoryAsync(stale.Id, CancellationToken.None), e => e.Kind == JobEventKind.Succeeded);
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_TwoWritersOfOneVersionAtOnce_ExactlyOneWins(string provider)
    {
        var drivers = await databases.ForAsync(provider);
        for (var round = 0; round < 10; round++)
        {
            var now = Now();
            var job = Assert.Single((await InsertAndClaimAsync(drivers.First, 1, "pool-a", now)).Claimed);

            var results = await Task.WhenAll(
                Task.Run(() => drivers.First.ApplyAsync([new JobUpdate(job.Id, job.Version, JobChange.Succeeded(now))], now, CancellationToken.None)),
                Task.Run(() => drivers.Second.ApplyAsync([new JobUpdate(job.Id, job.Version, JobChange.Cancelled(now))], now, CancellationToken.None)));

            Assert.Equal(1, results.Count(r => r[0]));
        }
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_RetryAtWithError_QueuedAtTheTimeWithTheErrorKept(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var job = Assert.Single((await InsertAndClaimAsync(driver, 1, "pool-a", now)).Claimed);
        var error = new JobError("System.InvalidOperationException", "broke: ünïcödé ✓ 🚀", "at Handler()");

        Assert.Equal(Won, await driver.ApplyAsync(
            [new JobUpdate(job.Id, job.Version, JobChange.RetryAt(now.AddSeconds(30), now, error)).Event(JobEventKind.RetryScheduled, 1, "pool-a", error: error)],
            now, CancellationToken.None));

        var row = await driver.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((JobStatus.Queued, now.AddSeconds(30), 1), (row!.Status, row.RunAt, row.Attempt));
        Assert.Equal((error.Type, error.Message), (row.LastErrorType, row.LastErrorMessage));
        var retry = Assert.Single(await driver.ReadHistoryAsync(job.Id, CancellationToken.None), e => e.Kind == JobEventKind.RetryScheduled);
        Assert.Equal(error.Message, retry.ErrorMessage);
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_Released_QueuedWithoutPoolAndTheAttemptGivenBack(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var job = Assert.Single((await InsertAndClaimAsync(driver, 1, "pool-a", now)).Claimed);

        Assert.Equal(Won, await driver.ApplyAsync([new JobUpdate(job.Id, job.Version, JobChange.Released())], now, CancellationToken.None));

        var row = await driver.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((JobStatus.Queued, 0, (string?)null), (row!.Status, row.Attempt, row.PoolId));
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_Deleted_RowGoneAndHistorySaysSo(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var job = Assert.Single(await driver.InsertAsync([Job(Unique("t"), Unique("q"), now)], now, CancellationToken.None));

        Assert.Equal(Won, await driver.ApplyAsync(
            [new JobUpdate(job.Id, job.Version, JobChange.Deleted()).Event(JobEventKind.Destroyed, 0, null)], now, CancellationToken.None));

        Assert.Null(await driver.FindAsync(job.Id, CancellationToken.None));
        Assert.True(await driver.WasDeletedAsync(job.Id, CancellationToken.None));
    }

    [Theory, AllProviders]
    public async Task ApplyAndReadAsync_WonOrLost_RowAsLeftOrNull(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var job = Assert.Single(await driver.InsertAsync([Job(Unique("t"), Unique("q"), now.AddHours(1))], now, CancellationToken.None));

        var moved = await driver.ApplyAndReadAsync(new JobUpdate(job.Id, job.Version, JobChange.RunNow(now)), now, CancellationToken.None);
        var lost = await driver.ApplyAndReadAsync(new JobUpdate(job.Id, job.Version, JobChange.RunNow(now)), now, CancellationToken.None);

        Assert.NotNull(moved);
        Assert.Equal((now, now.AddHours(1)), (moved.RunAt, moved.ScheduledAt)); // Run now keeps the schedule the job keeps.
        Assert.Equal(moved.Version, (await driver.FindAsync(job.Id, CancellationToken.None))!.Version);
        Assert.Null(lost);
    }

    [Theory, AllProviders]
    public async Task ApplyAndClaimAsync_OutcomeAndReadyJobs_StoredAndClaimedInOneTransaction(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (type, queue, claimed) = await InsertAndClaimAsync(driver, 1, "pool-a", now);
        var running = Assert.Single(claimed);
        await driver.InsertAsync([Job(type, queue, now), Job(type, queue, now), Job(type, queue, now)], now, CancellationToken.None);

        using var transactions = new TransactionCounter((await databases.ForAsync(provider)).FirstServices);

        var (applied, next) = await driver.ApplyAndClaimAsync(
            [new JobUpdate(running.Id, running.Version, JobChange.Succeeded(now))], Claim(type, queue, 2, "pool-a"), now, CancellationToken.None);

        Assert.Equal(1, transactions.Count);
        Assert.Equal([true], applied);
        Assert.Equal(2, next.Count);
        Assert.DoesNotContain(next, j => j.Id == running.Id);
        Assert.All(next, j => Assert.Equal(JobStatus.Executing, j.Status));
        Assert.Equal(JobStatus.Finished, (await driver.FindAsync(running.Id, CancellationToken.None))!.Status);
    }

    [Theory, AllProviders]
    public async Task ApplyAndClaimAsync_OutcomeLostItsSwap_ClaimStillLandsAndRowKeepsTheOtherWrite(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (type, queue, claimed) = await InsertAndClaimAsync(driver, 1, "pool-a", now);
        var running = Assert.Single(claimed);
        await driver.InsertAsync([Job(type, queue, now)], now, CancellationToken.None);
        Assert.Equal(Won, await driver.ApplyAsync([new JobUpdate(running.Id, running.Version, JobChange.CancelRequest())], now, CancellationToken.None));

        var (applied, next) = await driver.ApplyAndClaimAsync(
            [new JobUpdate(running.Id, running.Version, JobChange.Succeeded(now))], Claim(type, queue, 1, "pool-a"), now, CancellationToken.None);

        Assert.Equal([false], applied);
        Assert.Single(next);
        var row = await driver.FindAsync(running.Id, CancellationToken.None);
        Assert.Equal((JobStatus.Executing, true), (row!.Status, row.CancelRequested));
    }

    [Theory, AllProviders]
    public async Task ApplyAndClaimAsync_OutcomesOfManyShapesSomeStale_EachJudgedAloneWithItsOwnEventsAndErrors(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (type, queue, claimed) = await InsertAndClaimAsync(driver, 7, "pool-a", now);
        await driver.InsertAsync([Job(type, queue, now), Job(type, queue, now)], now, CancellationToken.None);
        var error = new JobError("System.InvalidOperationException", "bad 'quote' \u00e9 é", "at Somewhere()");
        var retryAt = now.AddMinutes(5);
        JobUpdate Succeeded(JobRecord j, long version, string took) => new JobUpdate(j.Id, version, JobChange.Succeeded(now)).Event(JobEventKind.Succeeded, 1, "pool-a", took);

        var (applied, next) = await driver.ApplyAndClaimAsync(
        [
            Succeeded(claimed[0], claimed[0].Version, "took 1 ms"),
            Succeeded(claimed[1], claimed[1].Version - 1, "stale"),
            Succeeded(claimed[2], claimed[2].Version, "took 3 ms"),
            new JobUpdate(claimed[3].Id, claimed[3].Version, JobChange.RetryAt(retryAt, now, error)).Wake(retryAt).Event(JobEventKind.RetryScheduled, 1, "pool-a", "retry", error),
            new JobUpdate(claimed[4].Id, claimed[4].Version, JobChange.FailedForGood(now, null)).Event(JobEventKind.Failed, 1, "pool-a", "failed"),
            new JobUpdate(claimed[5].Id, claimed[5].Version, JobChange.Deleted()).Event(JobEventKind.Destroyed, 1, "pool-a"),
            new JobUpdate(claimed[6].Id, claimed[6].Version, JobChange.CancelRequest()),
        ], Claim(type, queue, 5, "pool-a"), now, CancellationToken.None);

        Assert.Equal([true, false, true, true, true, true, true], applied);
        Assert.Equal(2, next.Count);
        var rows = (await driver.FindManyAsync([.. claimed.Select(j => j.Id)], CancellationToken.None)).ToDictionary(j => j.Id);
        Assert.Equal(JobStatus.Finished, rows[claimed[0].Id].Status);
        Assert.Equal((JobStatus.Executing, claimed[1].Version), (rows[claimed[1].Id].Status, rows[claimed[1].Id].Version));
        Assert.Equal(JobStatus.Finished, rows[claimed[2].Id].Status);
        Assert.Equal((JobStatus.Queued, (DateTime?)retryAt, error.Message), (rows[claimed[3].Id].Status, (DateTime?)rows[claimed[3].Id].RunAt, rows[claimed[3].Id].LastErrorMessage));
        Assert.Equal((JobStatus.Failed, (string?)null), (rows[claimed[4].Id].Status, rows[claimed[4].Id].LastErrorMessage));
        Assert.False(rows.ContainsKey(claimed[5].Id));
        Assert.True(rows[claimed[6].Id].CancelRequested);

        async Task<List<string?>> Messages(JobRecord j, JobEventKind kind)
            => [.. (await driver.ReadHistoryAsync(j.Id, CancellationToken.None)).Where(e => e.Kind == kind).Select(e => e.Message)];
        Assert.Equal(["took 1 ms"], await Messages(claimed[0], JobEventKind.Succeeded));
        Assert.Empty(await Messages(claimed[1], JobEventKind.Succeeded));
        Assert.Equal(["took 3 ms"], await Messages(claimed[2], JobEventKind.Succeeded));
        var retry = Assert.Single(await driver.ReadHistoryAsync(claimed[3].Id, CancellationToken.None), e => e.Kind == JobEventKind.RetryScheduled);
        Assert.Equal((error.Type, error.Message, error.StackTrace), (retry.ErrorType, retry.ErrorMessage, retry.ErrorStackTrace));
        Assert.Equal(["failed"], await Messages(claimed[4], JobEventKind.Failed));
        Assert.True(await driver.WasDeletedAsync(claimed[5].Id, CancellationToken.None));
        foreach (var job in next)
        {
            Assert.Single(await driver.ReadHistoryAsync(job.Id, CancellationToken.None), e => e.Kind == JobEventKind.Started);
        }
    }

    [Theory, AllProviders]
    public async Task UpdateProgressAsync_CurrentOrStaleVersion_NewVersionOrNull(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var job = Assert.Single((await InsertAndClaimAsync(driver, 1, "pool-a", now)).Claimed);

        var version = await driver.UpdateProgressAsync(job.Id, job.Version, 40, "copying ✓", "pool-a", 1, now, CancellationToken.None);
        var stale = await driver.UpdateProgressAsync(job.Id, job.Version, 50, "late", "pool-a", 1, now, CancellationToken.None);

        Assert.NotNull(version);
        Assert.Null(stale);
        var row = await driver.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((version.Value, 40, "copying ✓"), (row!.Version, row.ProgressPercent, row.ProgressMessage));
    }
}
