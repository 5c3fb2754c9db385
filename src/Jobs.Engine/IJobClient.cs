using System.Runtime.CompilerServices;

namespace Jobs;

/// <summary>Schedules jobs and finds them again. Registered by <c>AddJobs</c>; safe to use from any thread.</summary>
public interface IJobClient
{
    /// <summary>Stores a one-off job of a registered type with its payload.</summary>
    /// <exception cref="ArgumentException">The type is not registered, or <typeparamref name="TArgs"/> is not its payload type.</exception>
    Task<Job> ScheduleAsync<TArgs>(string type, TArgs args, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a one-off job of a registered type that takes no payload.</summary>
    [OverloadResolutionPriority(1)] // So ScheduleAsync("type", options) does not read options as a payload.
    Task<Job> ScheduleAsync(string type, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a recurring job: it runs at <see cref="JobScheduleOptions.RunAt"/> (default now) and then every
    /// <paramref name="interval"/> counted from its scheduled time, with a fresh retry budget for each run.</summary>
    Task<Job> ScheduleRecurringAsync<TArgs>(string type, TArgs args, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a recurring job of a registered type that takes no payload.</summary>
    Task<Job> ScheduleRecurringAsync(string type, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores many jobs in one transaction and one round trip per batch.</summary>
    Task<IReadOnlyList<Job>> ScheduleManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Loads a job by id.</summary>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> GetAsync(long id, CancellationToken cancellationToken = default);
}
