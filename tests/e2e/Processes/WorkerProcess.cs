using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Jobs.E2E.Processes;

/// <summary>One tests/worker process: a pool on the shared database. Killed with SIGKILL or stopped gracefully.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _claims = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Line)> _waits = [];

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string PoolId => _ready.Task.Result;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>Warnings and errors the worker logged (its console log is at Warning level).</summary>
    public IReadOnlyList<string> Problems => [.. _output.Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal))];

    public static async Task<WorkerProcess> StartAsync(string name, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WorkerPath);
        start.ArgumentList.Add("--name");
        start.ArgumentList.Add(name);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var worker = new WorkerProcess(name, Process.Start(start)!);
        var ready = await Task.WhenAny(worker._ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(ready == worker._ready.Task, $"worker {name} did not start:\n{worker.Output}");
        return worker;
    }

    /// <summary>The first line the worker prints from now on that <paramref name="match"/> accepts.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((match, line));
        }

        var done = await Task.WhenAny(line.Task, Task.Delay(timeout));
        Assert.True(done == line.Task, $"worker {Name} printed no matching line within {timeout}:\n{Output}");
        return await line.Task;
    }

    /// <summary>SIGKILL: no release, no goodbye, outcomes in memory lost.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>Closes standard input, which stops the pool gracefully; returns the claims it counted with the engine's Meter.</summary>
    public async Task<long> StopAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_claims.Task.IsCompleted, $"worker {Name} did not report its claims:\n{Output}");
        return await _claims.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        lock (_waits)
        {
            foreach (var wait in _waits.Where(w => w.Match(line)))
            {
                wait.Line.TrySetResult(line);
            }
        }

        if (line.StartsWith("READY ", StringComparison.Ordinal))
        {
            _ready.TrySetResult(line[6..]);
        }
        else if (line.StartsWith("CLAIMS ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ');
            _claims.TrySetResult(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>tests/worker's build output of the same configuration as this test assembly.</summary>
    private static string WorkerPath
    {
        get
        {
            var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                dir = dir.Parent;
            }

            var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Jobs.sln not found above the test assembly."),
                "tests", "worker", "bin", configuration, "net10.0", "Jobs.TestWorker.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build Jobs.sln first.");
        }
    }
}
