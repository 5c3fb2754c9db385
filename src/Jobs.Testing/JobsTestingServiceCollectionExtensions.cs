using Jobs.Execution;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Testing;

/// <summary>Turns an app's Jobs registration into one a test drives: <c>services.AddJobsTesting()</c> after
/// <c>AddJobs</c> (or in <c>ConfigureTestServices</c> of a <c>WebApplicationFactory</c>).</summary>
public static class JobsTestingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="JobsTester"/>, replaces the app's <see cref="TimeProvider"/> with a
    /// <see cref="FakeTimeProvider"/> starting at <paramref name="start"/> (default: the real time now, to the second) and turns
    /// the pool off (<c>Jobs:Pool:Enabled</c> = false), so jobs run only when the test calls
    /// <see cref="JobsTester.RunDueJobsAsync"/> or <see cref="JobsTester.RunAsync{TArgs}(string, TArgs, CancellationToken)"/>. The
    /// database is the one the app configured: point it at a file of the test's own (SQLite) or a test database.</summary>
    /// <remarks>Every service that takes <see cref="TimeProvider"/> from the container sees the same fake clock, so the app's
    /// own time-dependent code moves with the jobs' clock.</remarks>
    public static IServiceCollection AddJobsTesting(this IServiceCollection services, DateTimeOffset? start = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(JobTypeRegistry)))
        {
            throw new InvalidOperationException("AddJobsTesting found no Jobs engine to drive: call services.AddJobs(...) first, then AddJobsTesting().");
        }

        var now = TimeProvider.System.GetUtcNow();
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        services.RemoveAll<TimeProvider>();
        services.RemoveAll<FakeTimeProvider>();
        services.AddSingleton(time);
        services.AddSingleton<TimeProvider>(time);
        services.PostConfigure<JobsOptions>(o => o.Pool.Enabled = false);
        services.TryAddSingleton(sp => new JobsTester(
            time,
            sp.GetRequiredService<IJobDriver>(),
            sp.GetRequiredService<JobTypeRegistry>(),
            sp.GetRequiredService<JobExecutor>(),
            sp.GetRequiredService<JobOperations>(),
            sp.GetRequiredService<IJobClient>(),
            sp.GetRequiredService<IOptions<JobsOptions>>()));
        return services;
    }
}
