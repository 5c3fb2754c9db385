using System.Diagnostics;
using System.Globalization;

namespace Jobs.Benchmarks;

/// <summary>A throwaway PostgreSQL cluster from the installed server binaries (initdb, pg_ctl), as the test command starts one.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private PostgresCluster(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Pooling=true;Maximum Pool Size=200";
    }

    public string ConnectionString { get; }

    private string Data => Path.Combine(_directory, "data");

    public static async Task<PostgresCluster> StartAsync(Action<string> progress)
    {
        var bin = FindBin();
        var directory = Directory.CreateTempSubdirectory("jobs-bench-pg-").FullName;
        var port = Random.Shared.Next(20000, 40000);
        var cluster = new PostgresCluster(bin, directory, port);
        if (Environment.UserName == "root" && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            await RunAsync("chown", ["postgres", directory]);
        }

        progress($"starting a throwaway PostgreSQL cluster on port {port}");
        await cluster.PgAsync($"initdb -D '{cluster.Data}' -U postgres --auth=trust -E UTF8 > /dev/null");
        await cluster.PgAsync(
            $"pg_ctl -D '{cluster.Data}' -o \"-p {port.ToString(CultureInfo.InvariantCulture)} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300\" " +
            $"-l '{cluster.Data}/pg.log' -w start > /dev/null");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await PgAsync($"pg_ctl -D '{Data}' -m immediate stop > /dev/null 2>&1 || true");
        Directory.Delete(_directory, recursive: true);
    }

    private Task PgAsync(string command)
    {
        var line = $"PATH={_bin}:$PATH; {command}";
        return Environment.UserName == "root"
            ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", line])
            : RunAsync("/bin/sh", ["-c", line]);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {file}.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' exited with {process.ExitCode}.");
        }
    }

    private static string FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")))
            {
                return dir;
            }
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault() ?? throw new InvalidOperationException("No PostgreSQL server binaries found.")
            : throw new InvalidOperationException("No PostgreSQL server binaries found (pg_ctl, initdb).");
    }
}
