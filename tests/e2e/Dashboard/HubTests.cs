using System.Diagnostics;
using System.Threading.Channels;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobs.E2E.Dashboard;

[Collection(DashboardTests.Name)]
public sealed class HubTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Hub_StreamsAnEventOfAJobScheduledByAnotherProcess()
    {
        var server = fixture.Server;
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(server.Origin, $"{server.PathBase}/jobs/hub")).Build();
        await hub.StartAsync();
        using var stop = new CancellationTokenSource();
        var received = Channel.CreateUnbounded<JobEvent>();

        // From the latest event on: whatever is recorded before the server subscribes comes from the backlog, so nothing is missed.
        var cursor = await server.Monitor.GetLatestEventIdAsync();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in hub.StreamAsync<JobEvent>("StreamEvents", (long?)cursor, stop.Token))
            {
                await received.Writer.WriteAsync(e);
            }
        });

        // Another process: the demo server itself, on the same database, scheduling demo jobs and running no pool.
        using var other = StartOtherProcess(server.ConnectionString);
        try
        {
            var fromOther = await Eventually.ValueAsync(async () =>
            {
                while (received.Reader.TryRead(out var e))
                {
                    if (e.Kind == JobEventKind.Scheduled && (await server.Client.GetAsync(e.JobId)).Type.StartsWith("demo.", StringComparison.Ordinal))
                    {
                        return e;
                    }
                }

                Assert.False(other.HasExited, $"The other process exited early with {(other.HasExited ? other.ExitCode : 0)}.");
                return null;
            }, e => e is not null, "an event of a job scheduled by the other process", TimeSpan.FromMinutes(2)); // Includes the process's start.

            Assert.True(fromOther!.Id > cursor);
            Assert.NotEqual(Environment.ProcessId, other.Id);
        }
        finally
        {
            other.Kill(entireProcessTree: true);
            await other.WaitForExitAsync();
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        }
    }

    private static Process StartOtherProcess(string connectionString)
    {
        var log = Path.Combine(RepoPaths.Artifacts, $"other-process-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.ServerDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[
            RepoPaths.ServerDll, "--urls", "http://127.0.0.1:0", "--Jobs:Database:ConnectionString", connectionString,
            "--Jobs:Pool:Enabled", "false", "--Demo:Enabled", "true", "--Logging:LogLevel:Default", "Warning"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        Assert.True(File.Exists(RepoPaths.ServerDll), $"{RepoPaths.ServerDll} is built");
        var process = Process.Start(start)!;
        var gate = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    File.AppendAllLines(log, [line]);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
