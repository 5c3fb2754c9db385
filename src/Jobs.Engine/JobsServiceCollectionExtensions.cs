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
        return AddJobs(services, sp => sp.GetService<IConfiguration>()?.GetSection(JobsOptions.SectionName), configure);
    }

    /// <summary>Adds the Jobs engine as <see cref="AddJobs(IServiceCollection, Action{JobsOptions}?)"/> does, binding its
    /// options from <paramref name="section"/> (say <c>builder.Configuration.GetSection("Workers:Jobs")</c>) instead of the
    /// <c>Jobs</c> section; <paramref name="configure"/> runs after the binding. Error messages name the options by their
    /// place in the <c>Jobs</c> section (<c>Jobs:Pool:NumWorkers</c>), except an unknown enum value, which names its path.</summary>
#pragma warning disable RS0026 // Its required section sets it apart from the other overload: no call can mean both.
    public static IJobsBuilder AddJobs(this IServiceCollection services, IConfigurationSection section, Action<JobsOptions>? configure = null)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return AddJobs(services, _ => section, configure);
    }

    private static IJobsBuilder AddJobs(IServiceCollection services, Func<IServiceProvider, IConfigurationSection?> sectionOf, Action<JobsOptions>? configure)
    {
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
                if (sectionOf(sp) is { } section && section.Exists())
                {
                    JobsOptionsBinder.Bind(section, options);
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
        services.TryAddSingleton<DatabaseOutage>();
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
