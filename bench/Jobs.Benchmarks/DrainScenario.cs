using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>N queued no-op jobs drained by W workers in each of P processes; with one process, as a share of the same
/// run's raw-SQL ceiling at batch W. CPU is split by process (workers, database server, this harness) so a figure that
/// does not add up can be explained; the start (first job after "go") is reported apart from the steady middle of the drain (its second and third quarters).</summary>
internal static class DrainScenario
{
    public static async Task RunAsync(BenchContext ctx, int workers, int processes, IReadOnlyDictionary<int, double> ceilings)
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
            var cpuBefore = Cpu(ctx, pool);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(pool.Select(p => p.GoAsync()));
            long remaining;
            var polls = 0;
            (double Seconds, long Done)? quarter = null, threeQuarters = null;
            while ((remaining = await ctx.RemainingAsync(cs)) > 0)
            {
                polls++;
                var elapsed = watch.Elapsed.TotalSeconds;
                var done = jobs - remaining;
                quarter ??= done >= jobs / 4 ? (elapsed, done) : null;
                threeQuarters ??= done >= jobs * 3 / 4 ? (elapsed, done) : null;
                await Task.Delay(100);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var cpu = Cpu(ctx, pool) - cpuBefore; // Before the workers stop: their database connections end with them.
            var stats = await Task.WhenAll(pool.Select(p => p.StopAsync()));
            ctx.Database.ReleaseConnections();
            // The database counts every transaction in it: subtract this harness's own polls (one each, the last included).
            var commitsAfter = await ctx.Database.CommitCountAsync(cs) - (polls + 2);
            var succeeded = stats.Sum(s => s.Succeeded);
            if (succeeded != jobs || remaining != 0)
            {
                throw new InvalidOperationException($"drain: {succeeded} of {jobs} jobs succeeded.");
            }

            var rate = jobs / seconds;
            var claims = stats.Sum(s => s.Claimed);
            var capacity = Environment.ProcessorCount * seconds;
            var fields = new List<(string, object)>
            {
                ("workers", workers),
                ("processes", processes),
                ("jobs", jobs),
                ("drain_per_s", rate),
                ("first_job_ms", stats.Max(s => s.FirstSucceededMs) ?? 0), // The slowest process's first success after "go" (a process may run none).
                ("steady_per_s", quarter is { } q && threeQuarters is { } t && t.Seconds > q.Seconds ? (t.Done - q.Done) / (t.Seconds - q.Seconds) : rate),
                ("claims_per_job", (double)claims / jobs), // 1 when every job was claimed once (no release, no rescue).
                ("commits_per_job", (double)(commitsAfter - commitsBefore ?? stats.Sum(s => s.Transactions)) / jobs),
                ("commits_source", commitsBefore is null ? "engine" : "database"),
                ("cpu_workers_ms_per_1k_jobs", cpu.Workers * 1000 / jobs * 1000),
                ("cpu_database_ms_per_1k_jobs", cpu.Database * 1000 / jobs * 1000),
                ("cpu_busy_pct", (cpu.Workers + cpu.Database + cpu.Harness) / capacity * 100),
            };
            if (processes == 1 && ceilings.TryGetValue(workers, out var ceiling))
            {
                fields.Add(("ceiling_jobs_per_s", ceiling));
                fields.Add(("ceiling_ratio", rate / ceiling));
            }

            ctx.Record("drain", [.. fields]);
        }
        finally
        {
            foreach (var p in pool)
            {
                await p.DisposeAsync();
            }
        }
    }

    private static CpuSplit Cpu(BenchContext ctx, List<WorkerProcess> pool)
        => new(pool.Sum(p => p.CpuTime.TotalSeconds),
               ctx.Database.ServerCpuTime()?.TotalSeconds ?? 0,
               Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

    private readonly record struct CpuSplit(double Workers, double Database, double Harness)
    {
        public static CpuSplit operator -(CpuSplit a, CpuSplit b) => new(a.Workers - b.Workers, a.Database - b.Database, a.Harness - b.Harness);
    }
}
