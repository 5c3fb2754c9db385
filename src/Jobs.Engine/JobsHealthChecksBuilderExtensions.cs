using Jobs.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs;

/// <summary>Jobs as an ASP.NET Core health check: <c>services.AddHealthChecks().AddJobs()</c>, then
/// <c>app.MapHealthChecks("/health")</c>.</summary>
public static class JobsHealthChecksBuilderExtensions
{
    /// <summary>The default of <c>maxQueueLag</c>: a ready job waiting longer than this makes the check Degraded.</summary>
    internal static readonly TimeSpan DefaultMaxQueueLag = TimeSpan.FromMinutes(5);

    /// <summary>Adds a check that the jobs database answers (one seek on the claim index), that this process's pool runs and
    /// has beaten within <see cref="PoolOptions.StaleTimeout"/> (the failure status otherwise; skipped when the pool is
    /// disabled), and that the next ready job has waited at most <paramref name="maxQueueLag"/> (Degraded otherwise). Its
    /// data: <c>database</c>, <c>pool</c>, <c>pool_running</c>, <c>executing</c>, <c>last_beat_age_seconds</c>,
    /// <c>oldest_ready_wait_seconds</c>. Needs <c>AddJobs</c>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default: <c>jobs</c>.</param>
    /// <param name="failureStatus">What a database that does not answer, or a pool that stopped or stalled, reports.
    /// Default: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (a readiness probe's, say).</param>
    /// <param name="timeout">How long the read may take before it counts as not answering. Default: 5 seconds.</param>
    /// <param name="maxQueueLag">How long the next ready job (queued, due; the next in claim order) may have waited
    /// before the check reports Degraded. Default: 5 minutes.</param>
    public static IHealthChecksBuilder AddJobs(
        this IHealthChecksBuilder builder,
        string name = "jobs",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null,
        TimeSpan? maxQueueLag = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var lag = maxQueueLag ?? DefaultMaxQueueLag;
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, TimeSpan.Zero, nameof(maxQueueLag));
        return builder.Add(new HealthCheckRegistration(
            name,
            services => ActivatorUtilities.CreateInstance<JobsHealthCheck>(services, lag),
            failureStatus ?? HealthStatus.Unhealthy,
            tags,
            timeout ?? TimeSpan.FromSeconds(5)));
    }
}
