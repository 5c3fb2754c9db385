using System.Net;
using System.Net.Sockets;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Tests;

/// <summary><c>services.AddHealthChecks().AddJobs()</c>: healthy while the database answers, the failure status with the cause
/// when it does not.</summary>
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
}
