using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>N queued no-op jobs drained by W workers in each of P processes.</summary>
internal static class DrainScenario
{
    public static async Task RunAsync(BenchContext ctx, int workers, int processes)
    {
        var jobs = ctx.Options.Jobs;
        var cs = await ctx.Database.CreateAsync($"drain-{workers}-{processes}");
        ctx.Progress($"drain: {jobs:N0} jobs, {workers} workers x {processes} processes");
        await ctx.FillAsync(cs, jobs);

        var pool = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                pool.Add(await WorkerProcess.StartAsync(ctx.Options, cs, workers));
            }

            ctx.Database.ReleaseConnections(); // Idle backends report their counters when they close.
            var commitsBefore = await ctx.Database.CommitCountAsync(cs);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(pool.Select(p => p.GoAsync()));
            long remaining;
            var polls = 0;
            while ((remaining = await ctx.RemainingAsync(cs)) > 0)
            {
                polls++;
                await Task.Delay(100);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var stats = await Task.WhenAll(pool.Select(p => p.StopAsync()));
            ctx.Database.ReleaseConnections();
            // The database counts every transaction in it: subtract this harness's own polls (one each, the last included).
            var commitsAfter = await ctx.Database.CommitCountAsync(cs) - (polls + 2);
            var succeeded = stats.Sum(s => s.Succeeded);
            if (succeeded != jobs || remaining != 0)
            {
                throw new InvalidOperationException($"drain: {succeeded} of {jobs} jobs succeeded.");
            }

            var claims = stats.Sum(s => s.Claimed);
            ctx.Record("drain",
                ("workers", workers),
                ("processes", processes),
                ("jobs", jobs),
                ("drain_per_s", jobs / seconds),
                ("claims_per_job", (double)claims / jobs), // 1 when every job was claimed once (no release, no rescue).
                ("commits_per_job", (double)(commitsAfter - commitsBefore ?? stats.Sum(s => s.Transactions)) / jobs),
                ("commits_source", commitsBefore is null ? "engine" : "database"));
        }
        finally
        {
            foreach (var p in pool)
            {
                await p.DisposeAsync();
            }
        }
    }
}
