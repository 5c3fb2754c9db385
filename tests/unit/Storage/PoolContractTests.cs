using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for pools and leases: beats, stale pools, the jobs they leave, ownership, and the lease
/// that elects the maintenance leader.</summary>
public sealed class PoolContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    private static PoolRecord Pool(DateTime startedAt) => new()
    {
        Id = Unique("pool"), Host = "host-ü", ProcessId = 42, NumWorkers = 4, Queues = "default", StartedAt = startedAt, HeartbeatAt = startedAt,
    };

    [Theory, AllProviders]
    public async Task HeartbeatAsync_FirstAndLaterBeats_RowInsertedThenItsBeatMoved(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var pool = Pool(now);

        await driver.HeartbeatAsync(pool, now, CancellationToken.None);
        await driver.HeartbeatAsync(pool, now.AddSeconds(5), CancellationToken.None);

        var (row, executing) = Assert.Single(await driver.ReadPoolsAsync(CancellationToken.None), p => p.Pool.Id == pool.Id);
        Assert.Equal(("host-ü", 42, 4, now, now.AddSeconds(5), 0), (row.Host, row.ProcessId, row.NumWorkers, row.StartedAt, row.HeartbeatAt, executing));
        await driver.RemovePoolAsync(pool.Id, CancellationToken.None);
        Assert.DoesNotContain(await driver.ReadPoolsAsync(CancellationToken.None), p => p.Pool.Id == pool.Id);
    }

    [Theory, AllProviders]
    public async Task FindOrphansAsync_JobsUnderStaleLiveAndMissingPools_OnlyTheStaleAndMissingPoolsJobs(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (stale, live) = (Pool(now.AddMinutes(-10)), Pool(now));
        await driver.HeartbeatAsync(stale, now.AddMinutes(-10), CancellationToken.None);
        await driver.HeartbeatAsync(live, now, CancellationToken.None);
        var underStale = (await InsertAndClaimAsync(driver, 1, stale.Id, now)).Claimed[0];
        var underLive = (await InsertAndClaimAsync(driver, 1, live.Id, now)).Claimed[0];
        var underMissing = (await InsertAndClaimAsync(driver, 1, Unique("gone"), now)).Claimed[0];

        var orphans = (await driver.FindOrphansAsync(now.AddMinutes(-1), 10_000, CancellationToken.None)).Select(j => j.Id).ToHashSet();
        var removed = await driver.RemoveStalePoolsAsync(now.AddMinutes(-1), CancellationToken.None);

        Assert.Contains(underStale.Id, orphans);
        Assert.Contains(underMissing.Id, orphans);
        Assert.DoesNotContain(underLive.Id, orphans);
        Assert.Contains(removed, p => p.Id == stale.Id);
        Assert.DoesNotContain(removed, p => p.Id == live.Id);
        Assert.Equal([underLive.Id], (await driver.FindExecutingAsync(live.Id, CancellationToken.None)).Select(j => j.Id));
    }

    [Theory, AllProviders]
    public async Task CheckOwnershipAsync_JobsMovedOrAskedToCancel_ToldApart(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var claimed = (await InsertAndClaimAsync(driver, 3, "pool-a", now)).Claimed;
        var (kept, cancelAsked, rescued) = (claimed[0], claimed[1], claimed[2]);
        await driver.ApplyAsync(
        [
            new JobUpdate(cancelAsked.Id, cancelAsked.Version, JobChange.CancelRequest()),
            new JobUpdate(rescued.Id, rescued.Version, JobChange.Rescued(now)),
        ], now, CancellationToken.None);

        var (lost, cancel) = await driver.CheckOwnershipAsync("pool-a", [kept.Id, cancelAsked.Id, rescued.Id, long.MaxValue], CancellationToken.None);

        Assert.Equal([rescued.Id, long.MaxValue], lost.Order());
        Assert.Equal([cancelAsked.Id], cancel);
    }

    [Theory, AllProviders]
    public async Task TryTakeLeaseAsync_HeldExpiredAndResigned_OneHolderAtATime(string provider)
    {
        var drivers = await databases.ForAsync(provider);
        var (lease, now, period) = (Unique("lease"), Now(), TimeSpan.FromSeconds(30));

        Assert.True(await drivers.First.TryTakeLeaseAsync(lease, "a", now, period, CancellationToken.None));
        Assert.False(await drivers.Second.TryTakeLeaseAsync(lease, "b", now.AddSeconds(29), period, CancellationToken.None));
        Assert.True(await drivers.First.TryTakeLeaseAsync(lease, "a", now.AddSeconds(29), period, CancellationToken.None)); // Renewed to 59 s.
        Assert.False(await drivers.Second.TryTakeLeaseAsync(lease, "b", now.AddSeconds(58), period, CancellationToken.None));
        Assert.True(await drivers.Second.TryTakeLeaseAsync(lease, "b", now.AddSeconds(60), period, CancellationToken.None)); // a let it expire.
        Assert.False(await drivers.First.TryTakeLeaseAsync(lease, "a", now.AddSeconds(61), period, CancellationToken.None));

        await drivers.First.ResignLeaseAsync(lease, "a", now.AddSeconds(62), CancellationToken.None); // Not a's: changes nothing.
        Assert.False(await drivers.First.TryTakeLeaseAsync(lease, "a", now.AddSeconds(63), period, CancellationToken.None));
        await drivers.Second.ResignLeaseAsync(lease, "b", now.AddSeconds(64), CancellationToken.None);
        Assert.True(await drivers.First.TryTakeLeaseAsync(lease, "a", now.AddSeconds(65), period, CancellationToken.None));
    }

    [Theory, AllProviders]
    public async Task TryTakeLeaseAsync_TwoHoldersAtOnce_ExactlyOneHoldsIt(string provider)
    {
        var drivers = await databases.ForAsync(provider);
        for (var round = 0; round < 10; round++)
        {
            var (lease, now) = (Unique("lease"), Now());

            var taken = await Task.WhenAll(
                Task.Run(() => drivers.First.TryTakeLeaseAsync(lease, "a", now, TimeSpan.FromSeconds(30), CancellationToken.None)),
                Task.Run(() => drivers.Second.TryTakeLeaseAsync(lease, "b", now, TimeSpan.FromSeconds(30), CancellationToken.None)));

            Assert.Equal(1, taken.Count(t => t));
        }
    }
}
