using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Benchmarks;

/// <summary>Shared by the scenarios: the options, the database, progress output and in-process engines.</summary>
internal sealed class BenchContext(BenchOptions options, BenchDatabase database)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchOptions Options { get; } = options;
    public BenchDatabase Database { get; } = database;
    public List<Dictionary<string, object>> Results { get; } = [];

    public void Progress(string message) => Console.Error.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");

    public void Record(string scenario, params (string Key, object Value)[] fields)
    {
        var row = new Dictionary<string, object> { ["scenario"] = scenario, ["provider"] = Database.Provider };
        foreach (var (key, value) in fields)
        {
            row[key] = value is double d ? Math.Round(d, 3) : value;
        }

        Results.Add(row);
        Progress($"{scenario}: {string.Join(", ", fields.Select(f => $"{f.Key}={row[f.Key]}"))}");
    }

    /// <summary>An engine in this process; its pool is not started unless asked.</summary>
    public ServiceProvider Engine(string connectionString, Action<JobsOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddJobs(o =>
        {
            Database.Configure(o, connectionString);
            o.Database.AutoMigrate = false;
            configure?.Invoke(o);
        }).AddJobType("noop", _ => Task.CompletedTask);
        return services.BuildServiceProvider();
    }

    /// <summary>Stores <paramref name="count"/> no-op jobs in batches of 1,000.</summary>
    public async Task FillAsync(string connectionString, int count)
    {
        await using var engine = Engine(connectionString);
        var client = engine.GetRequiredService<IJobClient>();
        for (var done = 0; done < count; done += 1000)
        {
            await client.ScheduleManyAsync(Enumerable.Range(0, Math.Min(1000, count - done)).Select(_ => JobRequest.Create("noop")));
            if (done % 100_000 == 0 && done > 0)
            {
                Progress($"  stored {done:N0} / {count:N0} jobs");
            }
        }

        await Database.AnalyzeAsync(connectionString);
    }

    /// <summary>Jobs not yet ended (queued or executing), counted with raw SQL.</summary>
    public Task<long> RemainingAsync(string connectionString) => CountAsync(connectionString, "SELECT COUNT(*) FROM jobs WHERE status IN (0, 1)");

    public async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = Database.Open(connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
