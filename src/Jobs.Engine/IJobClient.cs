using System.Runtime.CompilerServices;

namespace Jobs;

/// <summary>Schedules jobs and finds them again. Registered by <c>AddJobs</c>; safe to use from any thread.</summary>
public interface IJobClient
{
    /// <summary>Stores a one-off job of a registered type with its payload.</summary>
    /// <exception cref="ArgumentException">The type is not registered, <typeparamref name="TArgs"/> is not its payload type, or
    /// <see cref="JobScheduleOptions.Queue"/> is not a storable name (blank, over 200 characters, control characters); the
    /// exception's <see cref="ArgumentException.ParamName"/> names the argument, such as <c>options.Queue</c>. Nothing is stored.</exception>
    Task<Job> ScheduleAsync<TArgs>(string type, TArgs args, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a one-off job of a registered type that takes no payload.</summary>
    [OverloadResolutionPriority(1)] // So ScheduleAsync("type", options) does not read options as a payload.
    Task<Job> ScheduleAsync(string type, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a recurring job: it runs at <see cref="JobScheduleOptions.RunAt"/> (default now) and then every
    /// <paramref name="interval"/> counted from its scheduled time, with a fresh retry budget for each run.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is below 1 ms, above 366 days, or not a whole
    /// number of milliseconds (the store keeps milliseconds, and does not round).</exception>
    Task<Job> ScheduleRecurringAsync<TArgs>(string type, TArgs args, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a recurring job of a registered type that takes no payload.</summary>
    Task<Job> ScheduleRecurringAsync(string type, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores many jobs in one transaction and one round trip per batch. Every request is checked first: one bad
    /// request throws (its <see cref="ArgumentException.ParamName"/> says which, such as <c>requests[3].Options.Queue</c>) and
    /// none is stored.</summary>
    Task<IReadOnlyList<Job>> ScheduleManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Loads a job by id.</summary>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> GetAsync(long id, CancellationToken cancellationToken = default);
}
