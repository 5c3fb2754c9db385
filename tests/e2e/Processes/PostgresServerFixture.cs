using Npgsql;

namespace Jobs.E2E.Processes;

/// <summary>One PostgreSQL cluster for the many-process tests, owned by them: the outage test stops and starts it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    internal PostgresServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new, empty database on the cluster; returns its connection string.</summary>
    internal async Task<string> CreateDatabaseAsync()
    {
        var name = "jobs_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(Server.ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await command.ExecuteNonQueryAsync();
        return Server.ConnectionString(name);
    }
}
