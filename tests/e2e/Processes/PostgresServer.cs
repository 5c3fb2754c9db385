using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Jobs.E2E.Processes;

/// <summary>A PostgreSQL cluster this test owns, made with the installed binaries, so that it can be stopped and started
/// without disturbing other suites that share test.sh's cluster.</summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _bin;
    private readonly int _port;

    private PostgresServer(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        _port = port;
    }

    private string Data => Path.Combine(_root, "data");

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database}";

    public static async Task<PostgresServer> StartNewAsync()
    {
        var bin = FindBin();
        var root = Directory.CreateTempSubdirectory("jobs-e2e-pg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["postgres", root]);
        }

        var server = new PostgresServer(root, bin, FreePort());
        await server.AsPostgresAsync("initdb", ["-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        await server.StartAsync();
        return server;
    }

    public Task StartAsync()
        => AsPostgresAsync("pg_ctl", [
            "-D", Data, "-l", Path.Combine(Data, "pg.log"), "-w", "start",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200"),
        ]);

    /// <summary>Fast shutdown: every session is terminated, as in a database restart or failover.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task AsPostgresAsync(string tool, IReadOnlyList<string> args)
        => Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout} {await stderr}");
        }
    }

    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("JOBS_TEST_PG_BIN") is { Length: > 0 } bin)
        {
            return bin;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal).First()
            : throw new InvalidOperationException("No PostgreSQL binaries: set JOBS_TEST_PG_BIN.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
