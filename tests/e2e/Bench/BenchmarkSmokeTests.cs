using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Jobs.E2E.Bench;

/// <summary>The benchmark harness in quick mode, on each database: every scenario completes with sane numbers.
/// It asserts no speed; speeds live in docs/benchmarks.md.</summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] AllScenarios = ["ceiling", "ceiling_run", "commits", "dashboard_queries", "drain", "enqueue", "memory", "pickup"];

    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Quick_EveryScenario_CompletesWithSaneNumbers(string provider)
    {
        var json = Path.Combine(Path.GetTempPath(), $"jobs-bench-{provider}-{Guid.NewGuid():N}.json");
        var args = new List<string> { BenchPath, "--provider", provider, "--quick", "--json", json };
        if (provider == "postgres")
        {
            var server = Environment.GetEnvironmentVariable("JOBS_TEST_POSTGRES");
            Assert.False(string.IsNullOrEmpty(server), "JOBS_TEST_POSTGRES must name a server (./test.sh starts one).");
            args.AddRange(["--connection", server!]);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        args.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");

        var rows = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(await File.ReadAllTextAsync(json))!;
        File.Delete(json);
        var scenarios = rows.Select(r => r["scenario"].GetString()).ToHashSet();
        Assert.Equal(AllScenarios, scenarios.Order());
        foreach (var row in rows)
        {
            foreach (var (key, value) in row)
            {
                if (value.ValueKind == JsonValueKind.Number && (key.EndsWith("_per_s", StringComparison.Ordinal) || key.EndsWith("_mb", StringComparison.Ordinal)))
                {
                    Assert.True(value.GetDouble() > 0, $"{row["scenario"]}.{key} = {value}");
                }
                else if (value.ValueKind == JsonValueKind.Number && (key.EndsWith("_ms", StringComparison.Ordinal) || key.EndsWith("_ratio", StringComparison.Ordinal)))
                {
                    Assert.True(value.GetDouble() >= 0, $"{row["scenario"]}.{key} = {value}");
                }
            }
        }

        // CPU seconds per idle minute: at least none, at most every core busy the whole minute.
        var idle = rows.Single(r => r["scenario"].GetString() == "pickup")["idle_cpu_s_per_min"].GetDouble();
        Assert.InRange(idle, 0, 60.0 * Environment.ProcessorCount);

        // Each run reports every job done (the harness fails otherwise); the drain grid is all there.
        Assert.Equal(4, rows.Count(r => r["scenario"].GetString() == "drain"));

        // One process's drain is reported against the raw-SQL ceiling of the same run at its worker count.
        var ceilings = rows.Where(r => r["scenario"].GetString() == "ceiling").Select(r => r["workers"].GetInt32()).Order();
        Assert.Equal([4, 16], ceilings);
        Assert.All(rows.Where(r => r["scenario"].GetString() == "drain" && r["processes"].GetInt32() == 1), r => Assert.True(r["ceiling_ratio"].GetDouble() > 0));
    }

    private static string BenchPath
    {
        get
        {
            var configuration = typeof(BenchmarkSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                dir = dir.Parent;
            }

            var path = Path.Combine(dir!.FullName, "bench", "Jobs.Benchmarks", "bin", configuration, "net10.0", "Jobs.Benchmarks.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build Jobs.sln first.");
        }
    }
}
