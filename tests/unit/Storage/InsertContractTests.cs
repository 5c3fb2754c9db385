using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Storage.DriverContract;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract for new jobs, whichever way a provider writes a batch (one statement, chunks, or PostgreSQL's
/// binary COPY for large batches): ids ascend in input order, every row is stored as given with its Scheduled event, and the
/// version handed back is the one a compare-and-swap needs.</summary>
public sealed class InsertContractTests(DriverDatabases databases) : IClassFixture<DriverDatabases>
{
    [Theory, AllProviders]
    public async Task InsertAsync_OneAndManyJobs_StoredAsGivenInOrderWithEventsAndWinningVersions(string provider)
    {
        var driver = (await databases.ForAsync(provider)).First;
        foreach (var count in new[] { 1, 1_500 })
        {
            var now = Now();
            var type = Unique("t");
            var queue = Unique("q");
            var jobs = Enumerable.Range(0, count).Select(k => Job(type, queue, now.AddSeconds(k % 7), priority: k % 3,
                payload: k % 5 == 0 ? null : $$"""{"n":{{k}},"text":"ünïcödé ✓ 🚀 {{k}}"}""", maxRetries: k % 4,
                intervalMs: k % 10 == 1 ? 60_000 : null) with { TraceParent = k % 2 == 0 ? $"00-{k:x32}-{k + 1:x16}-01" : null }).ToList();

            var inserted = await driver.InsertAsync(jobs, now, CancellationToken.None);

            Assert.Equal(count, inserted.Count);
            Assert.True(inserted.Zip(inserted.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids ascend in input order");
            var stored = (await driver.FindManyAsync([.. inserted.Select(r => r.Id)], CancellationToken.None)).ToDictionary(r => r.Id);
            for (var k = 0; k < count; k++)
            {
                var row = stored[inserted[k].Id];
                Assert.Equal((jobs[k].Payload, jobs[k].Priority, jobs[k].RunAt, jobs[k].IntervalMs, jobs[k].MaxRetries, jobs[k].TraceParent),
                    (row.Payload, row.Priority, row.RunAt, row.IntervalMs, row.MaxRetries, row.TraceParent));
                Assert.Equal((JobStatus.Queued, 0, now, row.RunAt), (row.Status, row.Attempt, row.CreatedAt, row.ScheduledAt));
                Assert.Equal(inserted[k].Version, row.Version);
            }

            foreach (var k in new[] { 0, count / 2, count - 1 }.Append(count > 1 ? 1 : 0).Distinct())
            {
                var scheduled = Assert.Single(await driver.ReadHistoryAsync(inserted[k].Id, CancellationToken.None));
                Assert.Equal((JobEventKind.Scheduled, now), (scheduled.Kind, scheduled.At));
                Assert.Equal(jobs[k].IntervalMs is null ? null : "Recurring every 00:01:00", scheduled.Message);
            }

            var last = inserted[^1];
            var applied = await driver.ApplyAsync([new JobUpdate(last.Id, last.Version, JobChange.Cancelled(now))], now, CancellationToken.None);
            Assert.True(applied[0], "a compare-and-swap at the version the insert returned wins");
        }
    }
}
