using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>The best raw-SQL queue this harness can write for the database, with no Jobs code, run as the engine's drain
/// runs: one stream, and per job the same writes with the same durability — a claim that skips rows other claimers hold,
/// a completion guarded by the row's version, and the engine's two event rows (Started, Succeeded). One transaction per
/// batch completes the last batch and claims the next (one statement on PostgreSQL). Measured at each batch size the drain
/// uses, since a pool of W workers claims at most W jobs at a time.</summary>
internal static class CeilingScenario
{
    public static async Task<IReadOnlyDictionary<int, double>> RunAsync(BenchContext ctx, IReadOnlyList<int> batches)
    {
        var ceilings = new Dictionary<int, double>();
        foreach (var batch in batches)
        {
            ceilings[batch] = await RunOneAsync(ctx, batch);
        }

        return ceilings;
    }

    private static async Task<double> RunOneAsync(BenchContext ctx, int batch)
    {
        var jobs = ctx.Options.Jobs;
        var cs = await ctx.Database.CreateAsync($"ceiling-{batch}");
        ctx.Progress($"ceiling: {jobs:N0} rows, batches of {batch}");
        await ctx.FillAsync(cs, jobs);

        await using var connection = ctx.Database.Open(cs);
        var watch = Stopwatch.StartNew();
        IReadOnlyList<ClaimedRow> running = [];
        var transactions = 0;
        do
        {
            await using var tx = await connection.BeginTransactionAsync();
            running = await ctx.Database.CompleteAndClaimAsync(connection, tx, running, batch, DateTime.UtcNow);
            await tx.CommitAsync();
            transactions++;
        }
        while (running.Count > 0);

        var seconds = watch.Elapsed.TotalSeconds;
        var succeeded = await ctx.CountAsync(cs, "SELECT COUNT(*) FROM jobs WHERE status = 2");
        var events = await ctx.CountAsync(cs, "SELECT COUNT(*) FROM job_events WHERE kind IN (1, 2)");
        if (succeeded != jobs || events != 2L * jobs)
        {
            throw new InvalidOperationException($"ceiling: {succeeded} of {jobs} rows completed with {events} events (expected {2L * jobs}).");
        }

        var rate = jobs / seconds;
        ctx.Record("ceiling",
            ("batch", batch),
            ("jobs", jobs),
            ("ceiling_jobs_per_s", rate),
            ("ceiling_transactions_per_job", (double)transactions / jobs));
        return rate;
    }
}
