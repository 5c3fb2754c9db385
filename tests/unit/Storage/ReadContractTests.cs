using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for inserts and reads: what is stored comes back as given, in the order asked.</summary>
public sealed class ReadContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    [Theory, AllProviders]
    public async Task InsertAsync_Jobs_RowsInTheOrderGivenWithRisingIdsAndScheduledEvents(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var payload = """{"name":"Zoë ✓ 🚀","n":1}""";

        var rows = await driver.InsertAsync(
            [Job(type, queue, now, priority: 2, payload: payload), Job(type, queue, now.AddMinutes(5), maxRetries: 0, intervalMs: 60_000)],
            now, CancellationToken.None);

        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].Id < rows[1].Id);
        var first = await driver.FindAsync(rows[0].Id, CancellationToken.None);
        Assert.Equal((type, queue, payload, 2, now, JobStatus.Queued, 0), (first!.Type, first.Queue, first.Payload, first.Priority, first.RunAt, first.Status, first.Attempt));
        var second = await driver.FindAsync(rows[1].Id, CancellationToken.None);
        Assert.Equal((now.AddMinutes(5), (long?)60_000, 0), (second!.RunAt, second.IntervalMs, second.MaxRetries));
        Assert.Equal(rows[1].Version, second.Version);
        Assert.Equal(JobEventKind.Scheduled, Assert.Single(await driver.ReadHistoryAsync(rows[0].Id, CancellationToken.None)).Kind);
    }

    [Theory, AllProviders]
    public async Task FindManyAsync_SomeIdsMissing_ReturnsTheOnesThatExist(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var rows = await driver.InsertAsync([Job(Unique("t"), Unique("q"), now), Job(Unique("t"), Unique("q"), now)], now, CancellationToken.None);

        var found = await driver.FindManyAsync([rows[0].Id, rows[1].Id, long.MaxValue], CancellationToken.None);

        Assert.Equal(rows.Select(r => r.Id).Order(), found.Select(j => j.Id).Order());
        Assert.Null(await driver.FindAsync(long.MaxValue, CancellationToken.None));
        Assert.False(await driver.WasDeletedAsync(rows[0].Id, CancellationToken.None));
    }

    [Theory, AllProviders]
    public async Task ReadPageAsync_TypeFilterSkipAndTake_ThePageAndHowManyMatch(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var rows = await driver.InsertAsync(Enumerable.Range(0, 5).Select(_ => Job(type, queue, now)).ToList(), now, CancellationToken.None);
        await driver.InsertAsync([Job(Unique("t"), queue, now)], now, CancellationToken.None);

        var (page, total) = await driver.ReadPageAsync(
            new JobQuery { Type = type, Sort = JobSort.Id, Descending = true, Skip = 1, Take = 2 }, CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal([rows[3].Id, rows[2].Id], page.Select(j => j.Id));
    }

    [Theory, AllProviders]
    public async Task FindMatchingAsync_AfterAnId_WalksEveryMatchInIdOrder(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var (type, queue, now) = (Unique("t"), Unique("q"), Now());
        var rows = await driver.InsertAsync(Enumerable.Range(0, 5).Select(_ => Job(type, queue, now)).ToList(), now, CancellationToken.None);

        var first = await driver.FindMatchingAsync(new JobQuery { Type = type }, 0, 3, CancellationToken.None);
        var rest = await driver.FindMatchingAsync(new JobQuery { Type = type }, first[^1].Id, 3, CancellationToken.None);

        Assert.Equal(rows.Select(r => r.Id), first.Concat(rest).Select(j => j.Id));
    }

    [Theory, AllProviders]
    public async Task ReadEventsAsync_AfterTheLatestId_OnlyEventsWrittenSince(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var latest = await driver.ReadLatestEventIdAsync(CancellationToken.None);
        var rows = await driver.InsertAsync([Job(Unique("t"), Unique("q"), now)], now, CancellationToken.None);

        var events = await driver.ReadEventsAsync(latest, 100, CancellationToken.None);

        var scheduled = Assert.Single(events, e => e.JobId == rows[0].Id);
        Assert.Equal(JobEventKind.Scheduled, scheduled.Kind);
        Assert.All(events, e => Assert.True(e.Id > latest));
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
    }

    [Theory, AllProviders]
    public async Task CountByTypeAsync_JobsInTwoStates_CountedPerTypeAndState(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        var now = Now();
        var (type, queue, _) = await InsertAndClaimAsync(driver, 2, "pool-a", now);
        await driver.InsertAsync([Job(type, queue, now.AddHours(1))], now, CancellationToken.None);

        var counts = (await driver.CountByTypeAsync(CancellationToken.None)).Where(c => c.Type == type).ToDictionary(c => c.Status, c => c.Count);

        Assert.Equal(new Dictionary<JobStatus, long> { [JobStatus.Executing] = 2, [JobStatus.Queued] = 1 }, counts);
    }
}
