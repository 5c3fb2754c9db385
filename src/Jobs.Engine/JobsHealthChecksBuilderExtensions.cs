using Jobs.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs;

/// <summary>The jobs database as an ASP.NET Core health check: <c>services.AddHealthChecks().AddJobs()</c>, then
/// <c>app.MapHealthChecks("/healthz")</c>.</summary>
public static class JobsHealthChecksBuilderExtensions
{
    /// <summary>Adds a check that reads the jobs database (one indexed lookup) and reports this process's pool in its data.
    /// Needs <c>AddJobs</c>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default: <c>jobs</c>.</param>
    /// <param name="failureStatus">What a database that does not answer reports. Default: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (a readiness probe's, say).</param>
    /// <param name="timeout">How long the read may take before it counts as not answering. Default: 5 seconds.</param>
    public static IHealthChecksBuilder AddJobs(
        this IHealthChecksBuilder builder,
        string name = "jobs",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => ActivatorUtilities.CreateInstance<JobsHealthCheck>(services),
            failureStatus ?? HealthStatus.Unhealthy,
            tags,
            timeout ?? TimeSpan.FromSeconds(5)));
    }
}
