using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Tests.Storage;

/// <summary>What the contract tests share: names no other test uses, new jobs, a claim of them.</summary>
internal static class DriverContract
{
    /// <summary>A name of its own for one test's types, queues, pools or leases in a database shared by its class.</summary>
    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Now, as the engine writes times (whole microseconds), so values read back compare equal.</summary>
    public static DateTime Now() => StoredTime.Truncate(DateTime.UtcNow);

    public static NewJob Job(string type, string queue, DateTime runAt, int priority = 0, string? payload = null, int maxRetries = 3, long? intervalMs = null)
        => new(type, queue, payload, priority, runAt, intervalMs, maxRetries);

    public static ClaimRequest Claim(string type, string queue, int limit, string poolId) => new([queue], [type], limit, poolId);

    /// <summary>Inserts <paramref name="count"/> ready jobs of a new type on a new queue and claims them all for <paramref name="poolId"/>.</summary>
    public static async Task<(string Type, string Queue, List<JobRecord> Claimed)> InsertAndClaimAsync(
        IJobDriver driver, int count, string poolId, DateTime now)
    {
        var type = Unique("t");
        var queue = Unique("q");
        await driver.InsertAsync(Enumerable.Range(0, count).Select(_ => Job(type, queue, now)).ToList(), now, CancellationToken.None);
        var claimed = await driver.ClaimReadyAsync(Claim(type, queue, count, poolId), now, CancellationToken.None);
        return (type, queue, claimed);
    }
}
