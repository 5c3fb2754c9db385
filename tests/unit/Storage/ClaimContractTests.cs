using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for claims: which ready jobs a pool gets, in what order, and that racing pools never share one.</summary>
public sealed class ClaimContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    [Theory, AllProviders]
    public async Task ClaimReadyAsync_ReadyJobs_ClaimedByPriorityThenRunTimeThenId(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var rows = await driver.InsertAsync(
        [
            Job(type, queue, now.AddSeconds(-1), priority: 0),
            Job(type, queue, now.AddSeconds(-3), priority: 0),
            Job(type, queue, now.AddSeconds(-2), priority: 5),
            Job(type, queue, now.AddSeconds(-3), priority: 0),
        ], now, CancellationToken.None);

        var claimed = await driver.ClaimReadyAsync(Claim(type, queue, 10, "pool-a"), now, CancellationToken.None);

        Assert.Equal([rows[2].Id, rows[1].Id, rows[3].Id, rows[0].Id], claimed.Select(j => j.Id));
    }

    [Theory, AllProviders]
    public async Task ClaimReadyAsync_Claimed_ExecutingUnderThePoolWithNextAttemptAndStartedEvent(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var inserted = Assert.Single(await driver.InsertAsync([Job(type, queue, now)], now, CancellationToken.None));

        var claimed = await driver.ClaimReadyAsync(Claim(type, queue, 1, "pool-a"), now, CancellationToken.None);

        var job = Assert.Single(claimed);
        Assert.Equal((inserted.Id, JobStatus.Executing, 1, "pool-a", (DateTime?)now), (job.Id, job.Status, job.Attempt, job.PoolId, job.StartedAt));
        Assert.NotEqual(inserted.Version, job.Version);
        var read = await driver.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((job.Version, job.Status, job.Attempt, job.PoolId, job.StartedAt), (read!.Version, read.Status, read.Attempt, read.PoolId, read.StartedAt));
        var started = Assert.Single(await driver.ReadHistoryAsync(job.Id, CancellationToken.None), e => e.Kind == JobEventKind.Started);
        Assert.Equal((1, "pool-a"), (started.Attempt, started.PoolId));
    }

    [Theory, AllProviders]
    public async Task ClaimReadyAsync_FutureOtherQueueOtherTypeOrNotQueued_LeftAlone(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var (otherType, otherQueue) = (Unique("t"), Unique("q"));
        var rows = await driver.InsertAsync(
        [
            Job(type, queue, now.AddMinutes(1)),
            Job(type, otherQueue, now),
            Job(otherType, queue, now),
            Job(type, queue, now),
        ], now, CancellationToken.None);
        await driver.ClaimReadyAsync(Claim(type, queue, 10, "pool-a"), now, CancellationToken.None);

        var second = await driver.ClaimReadyAsync(Claim(type, queue, 10, "pool-a"), now, CancellationToken.None);

        Assert.Empty(second); // The ready one was claimed by the first call; an executing job is not claimed again.
        var left = await driver.FindManyAsync(rows.Take(3).Select(r => r.Id).ToList(), CancellationToken.None);
        Assert.All(left, j => Assert.Equal(JobStatus.Queued, j.Status));
    }

    [Theory, AllProviders]
    public async Task ClaimReadyAsync_MoreReadyThanLimit_ClaimsOnlyTheLimit(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        await driver.InsertAsync(Enumerable.Range(0, 5).Select(_ => Job(type, queue, now)).ToList(), now, CancellationToken.None);

        var claimed = await driver.ClaimReadyAsync(Claim(type, queue, 2, "pool-a"), now, CancellationToken.None);
        var rest = await driver.ClaimReadyAsync(Claim(type, queue, 10, "pool-b"), now, CancellationToken.None);

        Assert.Equal(2, claimed.Count);
        Assert.Equal(3, rest.Count);
    }

    [Theory, AllProviders]
    public async Task ClaimReadyAsync_TwoDriversAtOnce_EachJobClaimedByExactlyOne(string provider)
    {
        var drivers = await databases.ForAsync(provider);
        for (var round = 0; round < 20; round++)
        {
            var (type, queue, now) = (Unique("t"), Unique("q"), Now());
            var rows = await drivers.First.InsertAsync(Enumerable.Range(0, 10).Select(_ => Job(type, queue, now)).ToList(), now, CancellationToken.None);

            var claims = await Task.WhenAll(
                Task.Run(() => drivers.First.ClaimReadyAsync(Claim(type, queue, 10, "pool-a"), now, CancellationToken.None)),
                Task.Run(() => drivers.Second.ClaimReadyAsync(Claim(type, queue, 10, "pool-b"), now, CancellationToken.None)));

            var winners = claims[0].Concat(claims[1]).Select(j => j.Id).Order();
            Assert.Equal(rows.Select(r => r.Id).Order(), winners);
            Assert.All(claims[0], j => Assert.Equal("pool-a", j.PoolId));
            Assert.All(claims[1], j => Assert.Equal("pool-b", j.PoolId));
        }
    }
}
