using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>The demo app (Jobs.Server's Program) on real Kestrel, on a fresh SQLite file, in Production, with the e2e job types.
/// Settings and services can be added per server.</summary>
internal sealed class DashboardServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public DashboardServer(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        DatabaseFile = Path.Combine(Path.GetTempPath(), $"jobs-e2e-dashboard-{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>
        {
            ["Jobs:Database:ConnectionString"] = ConnectionString,
            ["Jobs:Pool:MinWait"] = "00:00:00.100",
            ["Jobs:Pool:HeartbeatInterval"] = "00:00:00.500",
            ["Jobs:Pool:StaleTimeout"] = "00:00:10",
            ["Jobs:Pool:ShutdownTimeout"] = "00:00:02",
            ["Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Jobs"] = "Warning",

            // The e2e jobs fail on purpose; their stack traces belong on the dashboard, not in the test log.
            ["Logging:LogLevel:Jobs.Execution.JobExecutor"] = "Critical",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _services = services;
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>The SQLite file; another process can open it too.</summary>
    public string DatabaseFile { get; }

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabaseFile, DefaultTimeout = 30 }.ToString();

    /// <summary>Scheme, host and port of the Kestrel listener.</summary>
    public Uri Origin { get; }

    /// <summary>The path base the app runs under, if any (setting <c>PathBase</c>).</summary>
    public string PathBase => _settings.GetValueOrDefault("PathBase") ?? "";

    /// <summary>The dashboard's URL with a trailing slash.</summary>
    public string DashboardUrl => new Uri(Origin, $"{PathBase}/jobs/").ToString();

    public string Url(string relativeToDashboard) => DashboardUrl + relativeToDashboard;

    public IJobClient Client => Services.GetRequiredService<IJobClient>();

    public IJobMonitor Monitor => Services.GetRequiredService<IJobMonitor>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(Path.Combine(RepoPaths.Root, "src", "Jobs.Server"));
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));

        builder.ConfigureTestServices(services =>
        {
            services.AddE2EJobTypes();
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                try
                {
                    File.Delete(DatabaseFile + suffix);
                }
                catch (IOException)
                {
                    // Best effort: a temp file.
                }
            }
        }
    }
}
