using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>The best raw-SQL queue this harness can write for the database, with no Jobs code: per job the same writes with
/// the same durability as the engine — a claim that skips rows other claimers hold, a completion guarded by the row's
/// version, and the engine's two event rows (Started, Succeeded) — in one transaction per batch that completes the last
/// batch and claims the next (one statement, its own transaction, on PostgreSQL). For W workers it holds W jobs at a time,
/// as the engine's W workers do: one stream claiming W at a time, or two streams of W/2 (the engine also claims on one
/// connection while it completes on another); the ceiling is the faster of the two.</summary>
internal static class CeilingScenario
{
    public static async Task<IReadOnlyDictionary<int, double>> RunAsync(BenchContext ctx, IReadOnlyList<int> workerCounts)
    {
        var ceilings = new Dictionary<int, double>();
        foreach (var workers in workerCounts)
        {
            var best = 0.0;
            foreach (var streams in workers >= 2 ? new[] { 1, 2 } : [1])
            {
                best = Math.Max(best, await RunOneAsync(ctx, workers, streams));
            }

            ceilings[workers] = best;
            ctx.Record("ceiling", ("workers", workers), ("ceiling_jobs_per_s", best));
        }

        return ceilings;
    }

    private static async Task<double> RunOneAsync(BenchContext ctx, int workers, int streams)
    {
        var jobs = ctx.Options.Jobs;
        var batch = workers / streams;
        var cs = await ctx.Database.CreateAsync($"ceiling-{workers}-{streams}");
        ctx.Progress($"ceiling: {jobs:N0} rows, {streams} stream(s) of batch {batch}");
        await ctx.FillAsync(cs, jobs);

        var watch = Stopwatch.StartNew();
        var transactions = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            await using var connection = ctx.Database.Open(cs);
            IReadOnlyList<ClaimedRow> running = [];
            var count = 0;
            do
            {
                running = await ctx.Database.CompleteAndClaimAsync(connection, running, batch, DateTime.UtcNow);
                count++;
            }
            while (running.Count > 0);
            return count;
        })));

        var seconds = watch.Elapsed.TotalSeconds;
        var succeeded = await ctx.CountAsync(cs, "SELECT COUNT(*) FROM jobs WHERE status = 2");
        var events = await ctx.CountAsync(cs, "SELECT COUNT(*) FROM job_events WHERE kind IN (1, 2)");
        if (succeeded != jobs || events != 2L * jobs)
        {
            throw new InvalidOperationException($"ceiling: {succeeded} of {jobs} rows completed with {events} events (expected {2L * jobs}).");
        }

        var rate = jobs / seconds;
        ctx.Record("ceiling_run",
            ("workers", workers),
            ("streams", streams),
            ("batch", batch),
            ("jobs", jobs),
            ("jobs_per_s", rate),
            ("transactions_per_job", (double)transactions.Sum() / jobs));
        return rate;
    }
}
