using System.Globalization;

namespace Jobs.Benchmarks;

/// <summary>Command-line options; see <see cref="Usage"/>.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        dotnet run -c Release --project bench/Jobs.Benchmarks -- --provider sqlite|postgres [--connection "..."]
            [--jobs N] [--workers 1,4,16,64] [--processes 1,2,4] [--json results.json] [--quick] [--scenarios a,b,...] [--bulk-batch 1000]
        Scenarios: ceiling, commits, enqueue, drain, pickup, memory, dashboard_queries (default: all).
        Without --connection, sqlite uses a temporary file and postgres starts a throwaway cluster.
        dotnet run -c Release --project bench/Jobs.Benchmarks -- chart drain.png sqlite.json postgres.json
            draws drain throughput against workers, with each database's ceiling.
        """;

    public string Provider { get; private set; } = "sqlite";
    public string? Connection { get; private set; }
    public int Jobs { get; private set; } = 100_000;
    public int[] Workers { get; private set; } = [1, 4, 16, 64];
    public int[] Processes { get; private set; } = [1, 2, 4];
    public string? JsonPath { get; private set; }
    public bool Quick { get; private set; }
    public HashSet<string> Scenarios { get; private set; } = ["ceiling", "commits", "enqueue", "drain", "pickup", "memory", "dashboard_queries"];
    public int MemoryJobs { get; private set; } = 1_000_000;
    public int PickupSamples { get; private set; } = 1000;
    public int BulkBatch { get; private set; } = 1000;
    public TimeSpan IdleWindow { get; private set; } = TimeSpan.FromMinutes(1);

    // Worker-process mode (started by the coordinator, not by hand).
    public bool WorkerMode { get; private set; }
    public int WorkerThreads { get; private set; } = 16;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--provider": o.Provider = Next().ToLowerInvariant(); break;
                case "--connection": o.Connection = Next(); break;
                case "--jobs": o.Jobs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--workers": o.Workers = Ints(Next()); break;
                case "--processes": o.Processes = Ints(Next()); break;
                case "--json": o.JsonPath = Next(); break;
                case "--scenarios": o.Scenarios = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                case "--memory-jobs": o.MemoryJobs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--bulk-batch": o.BulkBatch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--pickup-samples": o.PickupSamples = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--quick": o.Quick = true; break;
                case "--worker": o.WorkerMode = true; break;
                case "--worker-threads": o.WorkerThreads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--help" or "-h": Console.WriteLine(Usage); Environment.Exit(0); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }

        if (o.Provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--provider must be sqlite or postgres (was '{o.Provider}').");
        }

        if (o.Quick)
        {
            o.Jobs = Math.Min(o.Jobs, 3000);
            o.Workers = [4, 16];
            o.Processes = [1, 2];
            o.MemoryJobs = Math.Min(o.MemoryJobs, 20_000);
            o.PickupSamples = Math.Min(o.PickupSamples, 20);
            o.IdleWindow = TimeSpan.FromSeconds(5);
        }

        return o;
    }

    private static int[] Ints(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
