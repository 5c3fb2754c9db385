using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.E2E.Processes;

/// <summary>src/Jobs.Server selects its database from configuration alone: here PostgreSQL, on the many-process tests'
/// own cluster.</summary>
public sealed class JobsServerOnPostgresTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task JobsServer_ConfiguredForPostgreSql_MigratesAndRunsTheDemoJobs()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Jobs:Database:Provider", "PostgreSql")
            .UseSetting("Jobs:Database:ConnectionString", connectionString)
            .UseSetting("Jobs:Database:AutoMigrate", "true")
            .UseSetting("Jobs:Pool:MinWait", "00:00:00.100")
            .UseSetting("Demo:Enabled", "true"));
        using var http = factory.CreateClient();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement status;
        do
        {
            status = await http.GetFromJsonAsync<JsonElement>("/status");
            if (status.GetProperty("counts").GetProperty("Finished").GetInt64() > 0)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(status.GetProperty("counts").GetProperty("Finished").GetInt64() > 0, $"no demo job finished within a minute: {status}");
        Assert.Equal(1, status.GetProperty("pools").GetArrayLength());
        using var health = await http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        using var firstName = await http.GetAsync("/healthz"); // The name it had first still answers.
        Assert.Equal("Healthy", await firstName.Content.ReadAsStringAsync());
    }
}
