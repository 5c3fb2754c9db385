using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Benchmarks;

/// <summary>How soon a new job starts on an idle pool: scheduled from another process, and from the pool's own process.</summary>
internal static class PickupScenario
{
    public static async Task RunAsync(BenchContext ctx)
    {
        var samples = ctx.Options.PickupSamples;
        var cs = await ctx.Database.CreateAsync("pickup");

        ctx.Progress($"pickup: {samples} jobs scheduled one at a time from another process");
        List<double> crossProcess;
        double idleCpuPerMinute;
        await using (var worker = await WorkerProcess.StartAsync(ctx.Options, cs, 4))
        {
            await worker.GoAsync();
            await using var producer = ctx.Engine(cs, o => o.Pool.Enabled = false);
            crossProcess = await MeasureAsync(producer.GetRequiredService<IJobClient>(), samples);

            // What the wake-up costs while nothing happens (SQLite's listener reads PRAGMA data_version every 2 ms): the
            // worker's CPU time over an idle window, after the jobs above have warmed it up.
            ctx.Progress($"pickup: idle pool's CPU over {ctx.Options.IdleWindow.TotalSeconds:0} s");
            var cpuBefore = worker.CpuTime;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(ctx.Options.IdleWindow);
            idleCpuPerMinute = (worker.CpuTime - cpuBefore).TotalSeconds / watch.Elapsed.TotalMinutes;
            await worker.StopAsync();
        }

        ctx.Progress($"pickup: {samples} jobs scheduled one at a time in the pool's process");
        await using var local = ctx.Engine(cs);
        var pool = local.GetRequiredService<JobPool>();
        await pool.StartAsync();
        var sameProcess = await MeasureAsync(local.GetRequiredService<IJobClient>(), samples);
        await pool.StopAsync();

        ctx.Record("pickup",
            ("samples", samples),
            ("pickup_p50_ms", Percentile(crossProcess, 0.50)),
            ("pickup_p99_ms", Percentile(crossProcess, 0.99)),
            ("same_process_p50_ms", Percentile(sameProcess, 0.50)),
            ("same_process_p99_ms", Percentile(sameProcess, 0.99)),
            ("idle_cpu_s_per_min", Math.Round(idleCpuPerMinute, 3)));
    }

    /// <summary>Latency is the job's own stored StartedAt minus CreatedAt: both from the clock of one machine.</summary>
    private static async Task<List<double>> MeasureAsync(IJobClient client, int samples)
    {
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var job = await client.ScheduleAsync("noop");
            do
            {
                await Task.Delay(1);
                await job.RefreshAsync();
            }
            while (job.Status != JobStatus.Finished);

            latencies.Add((job.StartedAt!.Value - job.CreatedAt).TotalMilliseconds);
        }

        return latencies;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
