namespace Jobs;

/// <summary>The job an operator action is meant for, and optionally the state the operator saw when deciding to act.</summary>
/// <remarks>With a <see cref="Version"/>, the action is a compare-and-swap on what the operator saw: if the job changed since,
/// the action is refused with <see cref="InvalidJobStateException"/> and nothing is overwritten. One exception keeps a running job
/// cancellable: a job seen <see cref="JobStatus.Executing"/> (with <see cref="Status"/> and <see cref="Attempt"/> given) that is still
/// executing the same attempt counts as unchanged, since progress reports move its version without changing its state.</remarks>
/// <param name="JobId">The job id.</param>
/// <param name="Version">The <see cref="Job.Version"/> the operator saw; null acts on whatever state the job is in now.</param>
/// <param name="Status">The status the operator saw.</param>
/// <param name="Attempt">The attempt the operator saw.</param>
public sealed record JobTarget(long JobId, long? Version = null, JobStatus? Status = null, int? Attempt = null)
{
    /// <summary>The job as the given snapshot shows it: the action is refused if the job changed since.</summary>
    public static JobTarget Seen(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobTarget(job.Id, job.Version, job.Status, job.Attempt);
    }

    /// <summary>True when a job now at <paramref name="version"/>, <paramref name="status"/> and <paramref name="attempt"/> is still
    /// the one the operator saw.</summary>
    internal bool StillAsSeen(long version, JobStatus status, int attempt)
        => Version is not { } seen
           || seen == version
           || (Status == JobStatus.Executing && status == JobStatus.Executing && Attempt == attempt);
}
