namespace Jobs;

/// <summary>Operator commands, for dashboards and admin tools. Every change is a compare-and-swap on the job row: a command
/// never overwrites a change it did not see (see <see cref="JobTarget"/>). Registered by <c>AddJobs</c>. <see cref="Job.Can"/> tells
/// which actions apply to a job; a refusal's <see cref="InvalidJobStateException.Reason"/> tells why one did not.</summary>
public interface IJobAdmin
{
    /// <summary>The same commands, recording <paramref name="actor"/> (a user name, say) on the events they write, so the job's
    /// history and the audit log (<see cref="IJobMonitor.GetAuditLogAsync"/>) say who did what. The dashboard names the
    /// signed-in user this way.</summary>
    /// <param name="actor">Who acts; cut to 200 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null, empty or white space.</exception>
    IJobAdmin ActingAs(string actor);

    /// <summary>Queues a failed, cancelled or finished job again to run now, with a fresh retry budget.</summary>
    /// <exception cref="InvalidJobStateException">The job is queued, executing or paused, was deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> RetryAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Moves the run time of a queued job to now; a recurring job keeps its cadence.</summary>
    /// <exception cref="InvalidJobStateException">The job is not queued, was deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> RunNowAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued job; for an executing job, requests cancellation: its token is cancelled (at once in this process,
    /// at the next heartbeat in others) and it ends cancelled (paused, if a pause was requested).</summary>
    /// <exception cref="InvalidJobStateException">The job already ended, is paused, was deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> CancelAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Deletes the job; an executing job's token is cancelled. Its history is kept.</summary>
    /// <exception cref="InvalidJobStateException">The job was already deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task DeleteAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Pauses a recurring job: a queued one is <see cref="JobStatus.Paused"/> at once and does not run until resumed; for an
    /// executing one cancellation is requested (as <see cref="CancelAsync"/> does) and it ends paused.</summary>
    /// <exception cref="InvalidJobStateException">The job is not recurring, is not queued or executing (already paused, say), was
    /// deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> PauseAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused (or cancelled, failed or finished) recurring job at its next occurrence, counted from its schedule.</summary>
    /// <exception cref="InvalidJobStateException">The job is not recurring, is queued or executing, was deleted, or changed since it was seen.</exception>
    /// <exception cref="JobNotFoundException">No job has that id.</exception>
    Task<Job> ResumeAsync(JobTarget target, CancellationToken cancellationToken = default);

    /// <summary>Applies an action to each of the given jobs; a job it does not apply to, or that changed since it was seen, is skipped.</summary>
    Task<BulkActionResult> ApplyAsync(JobAction action, IReadOnlyCollection<JobTarget> targets, CancellationToken cancellationToken = default);

    /// <summary>Applies an action to every job matching the filter of <paramref name="filter"/> (its order and page are ignored),
    /// in batches of one transaction each. Jobs the action does not apply to are skipped.</summary>
    Task<BulkActionResult> ApplyAsync(JobAction action, JobQuery filter, CancellationToken cancellationToken = default);
}
