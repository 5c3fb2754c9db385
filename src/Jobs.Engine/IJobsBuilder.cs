using Microsoft.Extensions.DependencyInjection;

namespace Jobs;

/// <summary>Returned by <c>AddJobs</c>: registers job types.</summary>
public interface IJobsBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
