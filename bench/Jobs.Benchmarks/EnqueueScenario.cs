using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Benchmarks;

/// <summary>Scheduling speed: one job per call at concurrency 1, and bulk batches (of 1,000 unless told).</summary>
internal static class EnqueueScenario
{
    public static async Task RunAsync(BenchContext ctx)
    {
        var cs = await ctx.Database.CreateAsync("enqueue");
        await using var engine = ctx.Engine(cs, o => o.Pool.Enabled = false);
        var client = engine.GetRequiredService<IJobClient>();
        await client.ScheduleAsync("noop"); // Warm-up: connection pool, JIT, EF model.

        var single = ctx.Options.Quick ? 300 : 3000;
        ctx.Progress($"enqueue: {single:N0} single calls");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < single; i++)
        {
            await client.ScheduleAsync("noop");
        }

        var singleRate = single / watch.Elapsed.TotalSeconds;
        var bulk = ctx.Options.Quick ? 10_000 : 100_000;
        var batch = ctx.Options.BulkBatch;
        ctx.Progress($"enqueue: {bulk:N0} in batches of {batch:N0}");
        watch.Restart();
        for (var done = 0; done < bulk; done += batch)
        {
            await client.ScheduleManyAsync(Enumerable.Range(0, Math.Min(batch, bulk - done)).Select(_ => JobRequest.Create("noop")));
        }

        var bulkRate = bulk / watch.Elapsed.TotalSeconds;
        var stored = await ctx.RemainingAsync(cs);
        if (stored != single + bulk + 1)
        {
            throw new InvalidOperationException($"enqueue: {stored} jobs stored, {single + bulk + 1} expected.");
        }

        ctx.Record("enqueue", ("enqueue_per_s", singleRate), ("bulk_enqueue_per_s", bulkRate), ("bulk_batch", batch));
    }
}
