using System.Net;
using System.Net.Sockets;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Jobs.Tests.Faults;

/// <summary>A database that cannot be reached is said once, as an Error naming the database and the setting to check; then
/// each loop logs one stack-free Warning per back-off step, the exceptions at Debug, and one Information when it answers.</summary>
public sealed class DatabaseOutageTests
{
    private const int Unreachable = 1010;
    private const int StillUnreachable = 1011;
    private const int UnreachableDetail = 1012;
    private const int Reachable = 1013;
    private const string Password = "hunter2-not-for-logs";
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(200); // The harness's HeartbeatInterval.

    [Fact]
    public async Task StartAsync_PostgreSqlPortClosed_OneErrorNamingHostAndPortThenOneTerseWarningPerBackoffStep()
    {
        var port = ClosedPort();
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var jobs = await JobsHarness.CreateAsync(
            o => o.UseNpgsql($"Host=127.0.0.1;Port={port};Username=jobs_app;Password={Password};Timeout=3"),
            b => b.AddJobType("x", _ => Task.CompletedTask),
            time: time, startPool: false, extra: Capture(logs));
        jobs.Signals.HeartbeatWaiting.Init();
        await jobs.Pool.StartAsync();

        // Each failed beat logs, then arms its wait for the next: the k-th armed wait follows the k-th failure, and no
        // further beat runs until the fake clock moves.
        for (var failedBeats = 1; failedBeats <= 3; failedBeats++)
        {
            await jobs.Signals.HeartbeatWaiting.WaitAsync(Eventually.DefaultTimeout);
            Assert.Equal(failedBeats, logs.Entries.Count(e => e.Id.Id == StillUnreachable && e.Text.StartsWith("The jobs heartbeat ", StringComparison.Ordinal)));
            time.Advance(Beat);
        }

        var entries = logs.Entries.ToList();
        var error = Assert.Single(entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(Unreachable, error.Id.Id);
        Assert.Null(error.Exception);
        Assert.Contains($"PostgreSQL server 127.0.0.1 port {port}", error.Text, StringComparison.Ordinal);
        Assert.Contains("user jobs_app", error.Text, StringComparison.Ordinal);
        Assert.Contains("refused", error.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Check Jobs:Database:ConnectionString", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.Text.Contains(Password, StringComparison.Ordinal));

        var warnings = entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w =>
        {
            Assert.Equal(StillUnreachable, w.Id.Id); // Not the old per-loop lines (1003, 1006, 3001, 3004, 4002) with their stacks.
            Assert.Null(w.Exception);
            Assert.DoesNotContain("   at ", w.Text, StringComparison.Ordinal);
            Assert.Contains("refused", w.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(@"; retrying in \d\d:\d\d:\d\d", w.Text);
        });

        // Every failure, the first included, keeps its whole exception at Debug.
        var details = entries.Where(e => e.Id.Id == UnreachableDetail).ToList();
        Assert.True(details.Count >= warnings.Count + 1, $"{details.Count} debug entries for {warnings.Count} warnings and one error");
        Assert.All(details, d =>
        {
            Assert.Equal(LogLevel.Debug, d.Level);
            Assert.Contains("   at ", d.Exception!.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task StartAsync_SqliteDirectoryMissing_OneErrorNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "jobs-no-such-dir-" + Guid.NewGuid().ToString("N"), "jobs.db");
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var jobs = await JobsHarness.CreateAsync(
            o => o.UseSqlite($"Data Source={path}"), b => b.AddJobType("x", _ => Task.CompletedTask),
            time: time, startPool: false, extra: Capture(logs));
        jobs.Signals.HeartbeatWaiting.Init();
        await jobs.Pool.StartAsync();

        await jobs.Signals.HeartbeatWaiting.WaitAsync(Eventually.DefaultTimeout); // The first beat failed too.
        time.Advance(Beat);
        await jobs.Signals.HeartbeatWaiting.WaitAsync(Eventually.DefaultTimeout);

        var entries = logs.Entries.ToList();
        var error = Assert.Single(entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(Unreachable, error.Id.Id);
        Assert.Contains($"SQLite file {path}", error.Text, StringComparison.Ordinal);
        Assert.Contains("unable to open database file'. Check ", error.Text, StringComparison.Ordinal); // The cause's own full stop dropped.
        Assert.Contains("Jobs:Database:ConnectionString (Data Source)", error.Text, StringComparison.Ordinal);
        Assert.Contains("directory exists", error.Text, StringComparison.Ordinal);
        Assert.All(entries.Where(e => e.Level == LogLevel.Warning), w =>
        {
            Assert.Equal(StillUnreachable, w.Id.Id);
            Assert.Null(w.Exception);
        });
    }

    [Fact]
    public async Task Fetcher_DatabaseUnreachable_OneWarningPerBackoffStepEachNamingTheDoubledDelay()
    {
        var path = Path.Combine(Path.GetTempPath(), "jobs-no-such-dir-" + Guid.NewGuid().ToString("N"), "jobs.db");
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var jobs = await JobsHarness.CreateAsync(
            o => o.UseSqlite($"Data Source={path}"), b => b.AddJobType("x", _ => Task.CompletedTask),
            o =>
            {
                // Out of the way: only the fetcher and the listener (200 ms doubling) move as the clock does.
                o.Pool.HeartbeatInterval = TimeSpan.FromMinutes(10);
                o.Pool.StaleTimeout = TimeSpan.FromMinutes(30);
            },
            time: time, startPool: false, extra: Capture(logs));
        jobs.Signals.FetcherWaiting.Init();
        await jobs.Pool.StartAsync();

        TimeSpan[] steps = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600)];
        for (var failed = 1; failed <= steps.Length; failed++)
        {
            // The wait is armed right after the failure was logged, and no claim runs again until the clock reaches it.
            var wait = await jobs.Signals.FetcherWaiting.WaitAsync(Eventually.DefaultTimeout);
            Assert.Equal(steps[failed - 1], wait);
            var fetcherWarnings = logs.Entries.Where(e => e.Id.Id == StillUnreachable && e.Text.StartsWith("The jobs fetcher ", StringComparison.Ordinal)).ToList();
            Assert.Equal(failed, fetcherWarnings.Count);
            Assert.EndsWith($"retrying in {wait}", fetcherWarnings[^1].Text, StringComparison.Ordinal);
            time.Advance(wait);
        }

        Assert.Single(logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception is not null);
    }

    [PostgresFact]
    public async Task Answered_DatabaseBackAfterOutage_OneInformationSayingItIsReachableAgain()
    {
        var cs = await TestDatabases.CreateDatabaseAsync(TestDatabases.Postgres);
        var target = new NpgsqlConnectionStringBuilder(cs);
        await using var proxy = new TcpProxy(target.Host!, target.Port, startCut: true);
        var viaProxy = new NpgsqlConnectionStringBuilder(cs) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var jobs = await JobsHarness.CreateAsync(
            o =>
            {
                o.UseNpgsql(viaProxy);
                o.Database.AutoMigrate = true;
            },
            b => b.AddJobType("x", _ => Task.CompletedTask),
            time: time, startPool: false, extra: Capture(logs));
        jobs.Signals.HeartbeatWaiting.Init();
        jobs.Signals.Beat.Init();
        await jobs.Pool.StartAsync();
        await jobs.Signals.HeartbeatWaiting.WaitAsync(Eventually.DefaultTimeout);
        var error = Assert.Single(logs.Entries, e => e.Id.Id == Unreachable);
        Assert.Contains($"port {proxy.Port}", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == Reachable);

        proxy.Restore();
        time.Advance(Beat);
        await jobs.Signals.Beat.WaitAsync(Eventually.DefaultTimeout);
        await Eventually.TrueAsync(() => Task.FromResult(logs.Entries.Any(e => e.Id.Id == Reachable)), "the outage to be reported over");

        var back = Assert.Single(logs.Entries, e => e.Id.Id == Reachable);
        Assert.Equal(LogLevel.Information, back.Level);
        Assert.StartsWith("The jobs database is reachable again after ", back.Text, StringComparison.Ordinal);
        Assert.Contains($"port {proxy.Port}", back.Text, StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Id.Id == Unreachable);
    }

    private static Action<IServiceCollection> Capture(CapturingLoggerProvider logs)
        => s => s.AddLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug));

    /// <summary>A port nothing listens on: taken from the system, then closed.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
