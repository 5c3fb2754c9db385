using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for what telemetry reads and stores: the leader's queue reading and the trace context.</summary>
public sealed class TelemetryContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    [Theory, AllProviders]
    public async Task ReadQueuesAsync_QueuedDueFutureAndExecuting_CountsQueuedAndOldestDuePerQueue(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, busy, later, now) = (Unique("t"), Unique("q"), Unique("q"), Now());
        await driver.InsertAsync(
        [
            Job(type, busy, now.AddSeconds(-10)),
            Job(type, busy, now.AddSeconds(-3), priority: 5),
            Job(type, busy, now.AddHours(1)),
            Job(type, later, now.AddMinutes(5)),
        ], now, CancellationToken.None);
        // The claim takes the higher priority one: it executes, so it is no longer queued.
        Assert.Equal(now.AddSeconds(-3), Assert.Single(await driver.ClaimReadyAsync(Claim(type, busy, 1, "pool-a"), now, CancellationToken.None)).RunAt);

        var readings = (await driver.ReadQueuesAsync(now, CancellationToken.None)).Where(r => r.Queue == busy || r.Queue == later).ToDictionary(r => r.Queue);

        Assert.Equal(2, readings.Count);
        Assert.Equal((2L, (DateTime?)now.AddSeconds(-10)), (readings[busy].Queued, readings[busy].OldestDue));
        Assert.Equal(DateTimeKind.Utc, readings[busy].OldestDue!.Value.Kind);
        Assert.Equal((1L, (DateTime?)null), (readings[later].Queued, readings[later].OldestDue));
    }

    [Theory, AllProviders]
    public async Task ReadQueuesAsync_QueueWithNoQueuedJobs_NotListed(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (_, queue, claimed) = await InsertAndClaimAsync(driver, 2, "pool-a", now);
        Assert.Equal(2, claimed.Count);

        Assert.DoesNotContain(await driver.ReadQueuesAsync(now, CancellationToken.None), r => r.Queue == queue);
    }

    [Theory, AllProviders]
    public async Task InsertAsync_TraceContext_StoredAndReadBackByFindAndByClaim(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        const string parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const string state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

        var rows = await driver.InsertAsync(
            [Job(type, queue, now) with { TraceParent = parent, TraceState = state }, Job(type, queue, now)], now, CancellationToken.None);

        var found = await driver.FindAsync(rows[0].Id, CancellationToken.None);
        Assert.Equal((parent, state), (found!.TraceParent, found.TraceState));
        var claimed = (await driver.ClaimReadyAsync(Claim(type, queue, 2, "pool-a"), now, CancellationToken.None)).ToDictionary(j => j.Id);
        Assert.Equal((parent, state), (claimed[rows[0].Id].TraceParent, claimed[rows[0].Id].TraceState));
        Assert.Equal((null, null), (claimed[rows[1].Id].TraceParent, claimed[rows[1].Id].TraceState));
    }
}
