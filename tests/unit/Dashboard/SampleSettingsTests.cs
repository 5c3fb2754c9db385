using Jobs.Dashboard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Dashboard;

/// <summary>appsettings.sample.json must bind, validate, and show every option's default.</summary>
public sealed class SampleSettingsTests
{
    [Fact]
    public void SampleSettings_BindAndValidate_ToTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoRoot(), "appsettings.sample.json")).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddJobs();
        services.AddJobsDashboard();
        using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
        var dashboard = provider.GetRequiredService<IOptions<JobsDashboardOptions>>().Value;

        var engineDefaults = new JobsOptions();
        Assert.Equal(engineDefaults.Database.Provider, engine.Database.Provider);
        Assert.Equal(engineDefaults.Database.ConnectionString, engine.Database.ConnectionString);
        Assert.Equal(engineDefaults.Database.AutoMigrate, engine.Database.AutoMigrate);
        Assert.Equal(engineDefaults.Database.SqliteSynchronous, engine.Database.SqliteSynchronous);
        Assert.Equal(engineDefaults.Database.CommandTimeoutSeconds, engine.Database.CommandTimeoutSeconds);
        Assert.Equal(engineDefaults.Pool.Enabled, engine.Pool.Enabled);
        Assert.Equal(engineDefaults.Pool.NumWorkers, engine.Pool.NumWorkers);
        Assert.Equal(engineDefaults.Pool.MinWait, engine.Pool.MinWait);
        Assert.Equal(engineDefaults.Pool.BatchSize, engine.Pool.BatchSize);
        Assert.Equal(engineDefaults.Pool.StaleTimeout, engine.Pool.StaleTimeout);
        Assert.Equal(engineDefaults.Pool.HeartbeatInterval, engine.Pool.HeartbeatInterval);
        Assert.Equal(engineDefaults.Pool.ShutdownTimeout, engine.Pool.ShutdownTimeout);
        Assert.Empty(engine.Pool.Queues);
        Assert.Equal(engineDefaults.DefaultQueue, engine.DefaultQueue);
        Assert.Equal(engineDefaults.ProgressWriteInterval, engine.ProgressWriteInterval);

        var dashboardDefaults = new JobsDashboardOptions();
        Assert.Equal(dashboardDefaults.AuthorizationPolicy, dashboard.AuthorizationPolicy);
        Assert.Equal(dashboardDefaults.ReadOnly, dashboard.ReadOnly);
        Assert.Equal(dashboardDefaults.PollInterval, dashboard.PollInterval);
        Assert.Equal(dashboardDefaults.ThroughputWindow, dashboard.ThroughputWindow);
        Assert.Equal(dashboardDefaults.PageSize, dashboard.PageSize);
        Assert.Equal(dashboardDefaults.CountLimit, dashboard.CountLimit);
        Assert.Equal(dashboardDefaults.Title, dashboard.Title);
        Assert.Equal(dashboardDefaults.AppPath, dashboard.AppPath);
        Assert.Empty(dashboard.AllowedOrigins);
        Assert.Empty(dashboard.AllowedHosts);
    }

    [Fact]
    public void SampleSettings_ListEveryPublicOption()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "appsettings.sample.json"));
        var options = typeof(JobsOptions).GetProperties().Select(p => p.Name)
            .Concat(typeof(DatabaseOptions).GetProperties().Select(p => p.Name))
            .Concat(typeof(PoolOptions).GetProperties().Select(p => p.Name))
            .Concat(typeof(JobsDashboardOptions).GetProperties().Select(p => p.Name));
        foreach (var name in options)
        {
            Assert.Contains($"\"//{name}\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DashboardOptions_OutOfRange_FailValidationNamingTheKey()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddJobs();
        services.AddJobsDashboard(o =>
        {
            o.PollInterval = TimeSpan.Zero;
            o.PageSize = 1;
            o.CountLimit = 10;
            o.AuthorizationPolicy = " ";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobsDashboardOptions>>().Value);

        Assert.Contains("Jobs:Dashboard:PollInterval", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs:Dashboard:PageSize must be between 5 and 500 (was 1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs:Dashboard:CountLimit must be between 1000 and 100000000 (was 10)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs:Dashboard:AuthorizationPolicy", ex.Message, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Jobs.sln not found.");
    }
}
