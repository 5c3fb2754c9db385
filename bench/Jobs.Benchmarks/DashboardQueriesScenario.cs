using System.Diagnostics;
using Jobs.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Benchmarks;

/// <summary>Server-side time of the dashboard's overview counts and of the first page of a filtered job list, on a large table.</summary>
internal static class DashboardQueriesScenario
{
    public static async Task RunAsync(BenchContext ctx, string connectionString)
    {
        // A tenth of the rows become failed jobs of another type, so the filter has something to find among many rows.
        await using (var connection = ctx.Database.Open(connectionString))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = ctx.Database.MarkFailedSql;
            await command.ExecuteNonQueryAsync();
        }

        await using var engine = ctx.Engine(connectionString, o => o.Pool.Enabled = false);
        var monitor = engine.GetRequiredService<IJobMonitor>();
        // What the dashboard runs: counts bounded by its CountLimit, and a page of a filtered list with a bounded total.
        var countLimit = new JobsDashboardOptions().CountLimit;
        var query = new JobQuery { Status = JobStatus.Failed, Type = "failing", Take = 50, CountAtMost = countLimit };
        await monitor.CountByStatusAsync(countLimit);
        await monitor.ListAsync(query);

        var overview = await MedianAsync(() => monitor.CountByStatusAsync(countLimit));
        var list = await MedianAsync(() => monitor.ListAsync(query));
        // The exact counts too, for comparison: what every overview refresh cost before counts were bounded.
        var exact = await MedianAsync(() => monitor.CountByStatusAsync());
        var rows = (await monitor.CountByStatusAsync()).Values.Sum();
        ctx.Record("dashboard_queries", ("rows", rows), ("count_limit", countLimit), ("overview_ms", overview), ("list_ms", list), ("exact_overview_ms", exact));
    }

    private static async Task<double> MedianAsync<T>(Func<Task<T>> action)
    {
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
