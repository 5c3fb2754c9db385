using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>The database's own commit rate, pgbench-style: C connections each committing one-row inserts as fast as the
/// database lets them, for a fixed time. At the drain's concurrency this says how far the drain and the ceiling are from
/// what the disk and the log allow.</summary>
internal static class CommitRateScenario
{
    public static async Task RunAsync(BenchContext ctx, IReadOnlyList<int> concurrencies)
    {
        var cs = await ctx.Database.CreateAsync("commits");
        var duration = ctx.Options.Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(5);
        foreach (var concurrency in concurrencies)
        {
            var watch = Stopwatch.StartNew();
            var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                await using var connection = ctx.Database.Open(cs);
                var commits = 0;
                while (watch.Elapsed < duration)
                {
                    await using var tx = await connection.BeginTransactionAsync();
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = ctx.Database.InsertOneSql;
                    var now = insert.CreateParameter();
                    now.ParameterName = "@now";
                    now.Value = DateTime.UtcNow;
                    insert.Parameters.Add(now);
                    await insert.ExecuteNonQueryAsync();
                    await tx.CommitAsync();
                    commits++;
                }

                return commits;
            })));
            var seconds = watch.Elapsed.TotalSeconds;
            ctx.Record("commits",
                ("concurrency", concurrency),
                ("commits_per_s", counts.Sum() / seconds));
        }
    }
}
