using System.Net;
using System.Net.Sockets;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Tests;

/// <summary><c>services.AddHealthChecks().AddJobs()</c>: healthy while the database answers, the pool beats and ready jobs are
/// taken; the failure status with the cause when the database does not answer or the pool stalled; Degraded when the next
/// ready job has waited too long.</summary>
public sealed class HealthCheckTests
{
    [Theory, AllProviders]
    public async Task AddJobs_DatabaseAnswersAndPoolRuns_HealthyWithThePoolInItsData(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask),
            extra: s => s.AddHealthChecks().AddJobs());

        var report = await jobs.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["jobs"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(jobs.Pool.Id, entry.Data["pool"]);
        Assert.Equal(true, entry.Data["pool_running"]);
        Assert.True((double)entry.Data["last_beat_age_seconds"] < 5);
        Assert.Equal(0d, entry.Data["oldest_ready_wait_seconds"]);
    }

    [Theory, AllProviders]
    public async Task AddJobs_PoolStalls_FailureStatusNamingThePoolAndStaleTimeout(string provider)
    {
        var clock = new StallableClock(TimeProvider.System);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask),
            o =>
            {
                o.Pool.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
                o.Pool.StaleTimeout = TimeSpan.FromMilliseconds(500);
            },
            time: clock, startPool: false, extra: s => s.AddHealthChecks().AddJobs());
        jobs.Signals.Beat.Init();
        await jobs.Pool.StartAsync();
        await jobs.Signals.Beat.WaitAsync(_ => true, Eventually.DefaultTimeout);
        var health = jobs.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["jobs"].Status);

        clock.Stall(); // As if the process hung: no timer fires, so the pool never beats again, while the database still answers.

        HealthReportEntry entry = default;
        await Eventually.TrueAsync(async () =>
        {
            entry = (await health.CheckHealthAsync()).Entries["jobs"];
            return entry.Status != HealthStatus.Healthy;
        }, () => $"the check to see the stalled pool (last: {entry.Status} {entry.Description})");
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith($"Pool {jobs.Pool.Id} has not beaten for ", entry.Description, StringComparison.Ordinal);
        Assert.Contains("Jobs:Pool:StaleTimeout (00:00:00.5000000)", entry.Description, StringComparison.Ordinal);
        Assert.True((double)entry.Data["last_beat_age_seconds"] >= 0.5); // Rounded to milliseconds: a silence just over 0.5 s reads 0.5.
    }

    [Theory, AllProviders]
    public async Task AddJobs_ReadyJobWaitedLongerThanMaxQueueLag_Degraded(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask),
            o => o.Pool.Enabled = false, startPool: false, extra: s => s.AddHealthChecks().AddJobs());
        await jobs.Client.ScheduleAsync("x", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddMinutes(-10) });
        await jobs.Client.ScheduleAsync("x", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddDays(-1), Priority = -1 }); // Behind it in claim order.
        await jobs.Client.ScheduleAsync("x", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1), Priority = 5 }); // Not ready.

        var entry = (await jobs.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["jobs"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("the next ready job has waited 6", entry.Description, StringComparison.Ordinal); // 600 s and a little.
        Assert.Contains("longer than 00:05:00", entry.Description, StringComparison.Ordinal);
        Assert.InRange((double)entry.Data["oldest_ready_wait_seconds"], 600, 660);
        Assert.Equal(false, entry.Data["pool_running"]);
    }

    [Theory, AllProviders]
    public async Task AddJobs_ReadyJobFresherThanMaxQueueLag_Healthy(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask),
            o => o.Pool.Enabled = false, startPool: false, extra: s => s.AddHealthChecks().AddJobs(maxQueueLag: TimeSpan.FromMinutes(15)));
        await jobs.Client.ScheduleAsync("x", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddMinutes(-10) });

        var entry = (await jobs.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["jobs"];

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("The jobs database answers; no pool runs in this process.", entry.Description);
        Assert.InRange((double)entry.Data["oldest_ready_wait_seconds"], 600, 660);
    }

    [Theory, AllProviders]
    public async Task AddJobs_PoolEnabledButStopped_FailureStatus(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask),
            extra: s => s.AddHealthChecks().AddJobs());
        await jobs.Pool.StopAsync();

        var entry = (await jobs.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["jobs"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains($"pool {jobs.Pool.Id} of this process is not running", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddJobs_PostgreSqlNotListening_FailureStatusNamingTheDatabaseAndTheCause()
    {
        // A port nothing listens on: taken from the system, then closed.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var jobs = await JobsHarness.CreateAsync(
            o => o.UseNpgsql($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=3"), b => b.AddJobType("x", _ => Task.CompletedTask),
            startPool: false, extra: s => s.AddHealthChecks().AddJobs(failureStatus: HealthStatus.Degraded, tags: ["ready"]));

        var report = await jobs.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        var entry = report.Entries["jobs"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("The jobs database (PostgreSql) did not answer: ", entry.Description, StringComparison.Ordinal);
        Assert.Contains("refused", entry.Description, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(false, entry.Data["pool_running"]);
    }

    [Fact]
    public void AddJobs_BlankName_Throws()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        Assert.Throws<ArgumentException>(() => builder.AddJobs(name: " "));
    }

    [Fact]
    public void AddJobs_NegativeMaxQueueLag_Throws()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddJobs(maxQueueLag: TimeSpan.FromSeconds(-1)));
    }
}
