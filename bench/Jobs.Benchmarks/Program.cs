using System.Globalization;
using System.Text.Json;
using Jobs;
using Jobs.Benchmarks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

if (args is ["chart", var png, .. var files])
{
    DrainChart.Write(files, png);
    return 0;
}

var options = BenchOptions.Parse(args);
if (options.WorkerMode)
{
    return await RunWorkerAsync(options);
}

await using var database = await BenchDatabase.StartAsync(options, m => Console.Error.WriteLine(m));
var ctx = new BenchContext(options, database);
ctx.Progress($"Jobs benchmarks on {options.Provider}{(options.Quick ? " (quick)" : "")}: {Environment.ProcessorCount} cores");

IReadOnlyDictionary<int, double> ceilings = new Dictionary<int, double>();
if (options.Scenarios.Contains("ceiling"))
{
    ceilings = await CeilingScenario.RunAsync(ctx, options.Workers);
}

if (options.Scenarios.Contains("commits"))
{
    await CommitRateScenario.RunAsync(ctx, options.Workers);
}

if (options.Scenarios.Contains("enqueue"))
{
    await EnqueueScenario.RunAsync(ctx);
}

if (options.Scenarios.Contains("drain"))
{
    foreach (var processes in options.Processes)
    {
        foreach (var workers in options.Workers)
        {
            await DrainScenario.RunAsync(ctx, workers, processes, ceilings);
        }
    }
}

if (options.Scenarios.Contains("pickup"))
{
    await PickupScenario.RunAsync(ctx);
}

string? large = null;
if (options.Scenarios.Contains("memory"))
{
    large = await MemoryScenario.RunAsync(ctx);
}

if (options.Scenarios.Contains("dashboard_queries"))
{
    if (large is null)
    {
        large = await database.CreateAsync("dashboard");
        await ctx.FillAsync(large, options.MemoryJobs);
    }

    await DashboardQueriesScenario.RunAsync(ctx, large);
}

Console.WriteLine();
foreach (var row in ctx.Results)
{
    Console.WriteLine(string.Join("  ", row.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
}

if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(ctx.Results, new JsonSerializerOptions { WriteIndented = true }));
    ctx.Progress($"wrote {path}");
}

return 0;

static async Task<int> RunWorkerAsync(BenchOptions options)
{
    await using var database = BenchDatabase.Attach(options);
    using var counters = new EngineCounters();
    var services = new ServiceCollection();
    // Standard output carries the protocol with the coordinator; logs go to standard error. JOBS_BENCH_WORKER_LOG=Debug
    // shows, with timestamps, what a worker spends its time on.
    var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("JOBS_BENCH_WORKER_LOG"), out var l) ? l : LogLevel.Warning;
    services.AddLogging(b => b.SetMinimumLevel(level)
        .AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; }));
    services.AddJobs(o =>
    {
        database.Configure(o, options.Connection!);
        o.Database.AutoMigrate = false;
        o.Pool.NumWorkers = options.WorkerThreads;
    }).AddJobType("noop", _ => Task.CompletedTask);
    await using var provider = services.BuildServiceProvider();
    var pool = provider.GetRequiredService<JobPool>();

    Console.WriteLine("READY");
    while (Console.ReadLine() is { } command)
    {
        if (command == "go")
        {
            counters.Started();
            if (level < LogLevel.Warning)
            {
                Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} go"); // Where the timestamps of the pool's start count from.
            }
            await pool.StartAsync();
        }
        else if (command == "stop")
        {
            await pool.StopAsync();
            // What the process still holds once the garbage is gone: growth in resident memory that is not here is the
            // collector's budget, not a leak.
            var live = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
            Console.WriteLine("STATS " + JsonSerializer.Serialize(counters.Snapshot() with { LiveHeapMb = live }));
            return 0;
        }
    }

    return 1;
}
