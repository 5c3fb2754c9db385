using Jobs.Dashboard.Actions;
using Jobs.Dashboard.Components;
using Jobs.Dashboard.Hosting;
using Jobs.Dashboard.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Jobs.Dashboard;

/// <summary>Registers the dashboard: <c>builder.Services.AddJobsDashboard(o => ...)</c>, next to <c>AddJobs(...)</c>.</summary>
public static class JobsDashboardServiceCollectionExtensions
{
    /// <summary>Adds the dashboard's services: Blazor Server (interactive server components), MudBlazor, SignalR, authorization, the
    /// hosted live feed and the action service. Options bind from the <c>Jobs:Dashboard</c> configuration section when an
    /// <see cref="IConfiguration"/> is registered, then <paramref name="configure"/> runs; both are validated when the host starts.
    /// Mount it with <c>app.MapJobsDashboard("/jobs")</c>.</summary>
    public static IServiceCollection AddJobsDashboard(this IServiceCollection services, Action<JobsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<JobsDashboardOptions>()
            .Configure<IServiceProvider>((options, sp) =>
            {
                if (sp.GetService<IConfiguration>()?.GetSection(JobsDashboardOptions.SectionName) is { } section && section.Exists())
                {
                    section.Bind(options);
                }
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobsDashboardOptions>, DashboardOptionsValidator>());
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSignalR();
        services.AddAuthorization();
        services.AddMudServices();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DashboardEvents>();
        services.TryAddSingleton<ThroughputTracker>();
        services.TryAddSingleton<LiveFeedStatus>();
        services.TryAddSingleton<DashboardActions>();
        services.TryAddScoped<BrowserTime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DashboardEventFeed>());
        return services;
    }
}
