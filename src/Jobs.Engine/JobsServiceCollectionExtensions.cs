using System.Diagnostics.Metrics;
using Jobs.Diagnostics;
using Jobs.Execution;
using Jobs.Maintenance;
using Jobs.Monitoring;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs;

/// <summary>The entry point: <c>services.AddJobs(o => ...)</c>.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>Adds the Jobs engine: <see cref="IJobClient"/>, <see cref="IJobMonitor"/>, <see cref="IJobAdmin"/>, <see cref="JobPool"/> and a hosted
    /// service that runs the pool. Options bind from the <c>Jobs</c> configuration section when an <see cref="IConfiguration"/>
    /// is registered, then <paramref name="configure"/> runs; both are validated when the host starts.</summary>
    public static IJobsBuilder AddJobs(this IServiceCollection services, Action<JobsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(JobTypeRegistry)))
        {
            // Called again (say, by a library and by the app): only add the extra configuration, so code keeps winning over config.
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return new JobsBuilder(services);
        }

        services.AddOptions<JobsOptions>()
            .Configure<IServiceProvider>((options, sp) =>
            {
                if (sp.GetService<IConfiguration>()?.GetSection(JobsOptions.SectionName) is { } section && section.Exists())
                {
                    section.Bind(options);
                }
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging(); // Idempotent; lets AddJobs work in a bare ServiceCollection, as AddHttpClient does.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JobsMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<StorageProvider>(sp => CreateProvider(sp.GetRequiredService<IOptions<JobsOptions>>().Value.Database));
        services.TryAddSingleton<SqlJobDriver>();
        services.TryAddSingleton<IJobDriver>(sp => sp.GetRequiredService<SqlJobDriver>());
        services.TryAddSingleton(sp => sp.GetRequiredService<SqlJobDriver>().Initializer);
        services.TryAddSingleton<JobTypeRegistry>();
        services.TryAddSingleton<JobSignal>();
        services.TryAddSingleton<TestSignals>();
        services.TryAddSingleton<RunningJobs>();
        services.TryAddSingleton<JobOperations>();
        services.TryAddSingleton<IJobClient, JobClient>();
        services.TryAddSingleton<IJobMonitor, JobMonitor>();
        services.TryAddSingleton<IJobAdmin, JobAdmin>();
        services.TryAddSingleton<JobExecutor>();
        services.TryAddSingleton<Rescuer>();
        services.TryAddSingleton<PoolRuntime>();
        services.TryAddSingleton(sp => new JobPool(sp.GetRequiredService<PoolRuntime>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobsHostedService>());
        return new JobsBuilder(services);
    }

    private static StorageProvider CreateProvider(DatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteStorageProvider(database),
        _ => ProviderPackages.Create(database),
    };

    private sealed class JobsBuilder(IServiceCollection services) : IJobsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
