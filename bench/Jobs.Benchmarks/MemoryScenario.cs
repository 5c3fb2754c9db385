using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>Drains a large queue in one worker process and samples its resident memory: peak, and first half against second half.</summary>
internal static class MemoryScenario
{
    public static async Task<string> RunAsync(BenchContext ctx)
    {
        var jobs = ctx.Options.MemoryJobs;
        var cs = await ctx.Database.CreateAsync("memory");
        ctx.Progress($"memory: storing {jobs:N0} jobs");
        await ctx.FillAsync(cs, jobs);

        await using var worker = await WorkerProcess.StartAsync(ctx.Options, cs, 16);
        var firstHalf = new List<double>();
        var secondHalf = new List<double>();
        var watch = Stopwatch.StartNew();
        await worker.GoAsync();
        long remaining;
        while ((remaining = await ctx.RemainingAsync(cs)) > 0)
        {
            (remaining > jobs / 2 ? firstHalf : secondHalf).Add(worker.Memory().RssMb);
            await Task.Delay(100);
        }

        var (endRss, peak) = worker.Memory();
        var seconds = watch.Elapsed.TotalSeconds;
        var stats = await worker.StopAsync();
        if (stats.Succeeded != jobs)
        {
            throw new InvalidOperationException($"memory: {stats.Succeeded} of {jobs} jobs succeeded.");
        }

        ctx.Record("memory",
            ("jobs", jobs),
            ("drain_per_s", jobs / seconds),
            ("peak_rss_mb", peak),
            ("end_rss_mb", endRss),
            ("first_half_avg_rss_mb", firstHalf.Count == 0 ? endRss : firstHalf.Average()),
            ("second_half_avg_rss_mb", secondHalf.Count == 0 ? endRss : secondHalf.Average()));
        return cs;
    }
}
