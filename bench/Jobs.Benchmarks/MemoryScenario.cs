using System.Diagnostics;
using System.Globalization;

namespace Jobs.Benchmarks;

/// <summary>Drains a large queue in one worker process and samples its resident memory: peak, first half against second half,
/// and each quarter's average, so that warm-up (the first quarter) can be told apart from growth.</summary>
internal static class MemoryScenario
{
    public static async Task<string> RunAsync(BenchContext ctx)
    {
        var jobs = ctx.Options.MemoryJobs;
        var cs = await ctx.Database.CreateAsync("memory");
        ctx.Progress($"memory: storing {jobs:N0} jobs");
        await ctx.FillAsync(cs, jobs);

        await using var worker = await WorkerProcess.StartAsync(ctx.Options, cs, 16);
        var quarters = Enumerable.Range(0, 4).Select(_ => new List<double>()).ToArray();
        var watch = Stopwatch.StartNew();
        await worker.GoAsync();
        long remaining;
        while ((remaining = await ctx.RemainingAsync(cs)) > 0)
        {
            var done = jobs - remaining;
            quarters[(int)Math.Min(3, done * 4 / jobs)].Add(worker.Memory().RssMb);
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
            ("live_heap_after_stop_mb", stats.LiveHeapMb ?? 0),
            ("first_half_avg_rss_mb", Average([.. quarters[0], .. quarters[1]], endRss)),
            ("second_half_avg_rss_mb", Average([.. quarters[2], .. quarters[3]], endRss)),
            ("quarter_avg_rss_mb", string.Join(" / ", quarters.Select(q => Average(q, endRss).ToString("0.0", CultureInfo.InvariantCulture)))));
        return cs;
    }

    private static double Average(List<double> samples, double fallback) => samples.Count == 0 ? fallback : samples.Average();
}
