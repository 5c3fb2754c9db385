using Jobs.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Infrastructure;

/// <summary>One "process" of Jobs: its own service provider, client, monitor and pool, on a shared database.</summary>
internal sealed class JobsHarness : IAsyncDisposable
{
    private JobsHarness(ServiceProvider services)
    {
        Services = services;
        Client = services.GetRequiredService<IJobClient>();
        Monitor = services.GetRequiredService<IJobMonitor>();
        Pool = services.GetRequiredService<JobPool>();
    }

    public ServiceProvider Services { get; }
    public IJobClient Client { get; }
    public IJobMonitor Monitor { get; }
    public JobPool Pool { get; }

    /// <summary>The engine's test signals of this "process" (see <see cref="TestSignals"/>); call Init on those a test waits on.</summary>
    internal TestSignals Signals => Services.GetRequiredService<TestSignals>();

    /// <summary>Builds a harness; the pool is started unless <paramref name="startPool"/> is false. <paramref name="extra"/>
    /// adds services of the test's own (a capturing logger provider).</summary>
    public static async Task<JobsHarness> CreateAsync(
        Action<JobsOptions> database,
        Action<IJobsBuilder> types,
        Action<JobsOptions>? configure = null,
        TimeProvider? time = null,
        bool startPool = true,
        Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        extra?.Invoke(services);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var builder = services.AddJobs(o =>
        {
            database(o);
            o.Pool.NumWorkers = 4;
            o.Pool.MinWait = TimeSpan.FromMilliseconds(50);
            o.Pool.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.Pool.StaleTimeout = TimeSpan.FromSeconds(5);
            o.Pool.ShutdownTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        types(builder);
        var harness = new JobsHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        if (startPool)
        {
            await harness.Pool.StartAsync();
        }

        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.StopAsync();
        await Services.DisposeAsync();
    }
}
