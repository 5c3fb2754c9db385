using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Jobs.Benchmarks;

/// <summary>A worker process: this same executable in <c>--worker</c> mode, running one pool of no-op jobs.
/// It announces READY, starts its pool on "go", and on "stop" stops it and prints its counters.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>CPU time the process has used so far, user and kernel.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<WorkerProcess> StartAsync(BenchOptions options, string connectionString, int workers, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (file, prefix) = SelfCommand();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var a in prefix)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in new[] { "--worker", "--provider", options.Provider, "--connection", connectionString, "--worker-threads", workers.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start a worker process.");
        var worker = new WorkerProcess(process);
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (line != "READY")
        {
            throw new InvalidOperationException($"Worker process {process.Id} did not start: '{line}'.");
        }

        return worker;
    }

    public Task GoAsync() => _process.StandardInput.WriteLineAsync("go");

    public async Task<WorkerStats> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("STATS ", StringComparison.Ordinal))
            {
                await _process.WaitForExitAsync();
                return JsonSerializer.Deserialize<WorkerStats>(line[6..])!;
            }
        }

        throw new InvalidOperationException($"Worker process {_process.Id} exited without its counters.");
    }

    /// <summary>Resident set size now and at its peak, from /proc (Linux).</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kb(line) / 1024;
            }
        }

        return (rss, peak);

        static double Kb(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static (string File, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path.");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(WorkerProcess).Assembly.Location])
            : (path, []);
    }
}
