using System.Data.Common;
using System.Diagnostics;

namespace Jobs.Benchmarks;

/// <summary>The database's own limit, with raw SQL and no Jobs code: claim a batch and complete it (two transactions,
/// as the engine does), and single-row insert commits at concurrency 1.</summary>
internal static class CeilingScenario
{
    public static async Task RunAsync(BenchContext ctx, int batch)
    {
        var jobs = ctx.Options.Jobs;
        var cs = await ctx.Database.CreateAsync("ceiling");
        ctx.Progress($"ceiling: {jobs:N0} rows, batches of {batch}");
        await ctx.FillAsync(cs, jobs);

        await using var connection = ctx.Database.Open(cs);
        var watch = Stopwatch.StartNew();
        var done = 0;
        var commits = 0;
        while (true)
        {
            var now = DateTime.UtcNow;
            var ids = new List<long>(batch);
            await using (var tx = await connection.BeginTransactionAsync())
            {
                await using var claim = Command(connection, tx, ctx.Database.ClaimSql, now);
                Add(claim, "@batch", batch);
                await using (var reader = await claim.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }

                await tx.CommitAsync();
                commits++;
            }

            if (ids.Count == 0)
            {
                break;
            }

            await using (var tx = await connection.BeginTransactionAsync())
            {
                await using var complete = Command(connection, tx, ctx.Database.CompleteSql(ids), DateTime.UtcNow);
                await complete.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                commits++;
            }

            done += ids.Count;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        if (done != jobs)
        {
            throw new InvalidOperationException($"ceiling: completed {done} of {jobs} rows.");
        }

        var inserts = ctx.Options.Quick ? 300 : 3000;
        watch.Restart();
        for (var i = 0; i < inserts; i++)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var insert = Command(connection, tx, ctx.Database.InsertOneSql, DateTime.UtcNow);
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        var commitRate = inserts / watch.Elapsed.TotalSeconds;
        ctx.Record("ceiling",
            ("batch", batch),
            ("jobs", done),
            ("ceiling_jobs_per_s", done / seconds),
            ("ceiling_commits_per_job", (double)commits / done),
            ("ceiling_commits_per_s", commitRate));
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, DateTime now)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        Add(command, "@now", now);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
