namespace Jobs;

/// <summary>A recurring job and the outcome of its last run.</summary>
/// <param name="Job">The job; its <see cref="Job.RunAt"/> is the next run while it is queued.</param>
/// <param name="LastResult">The last <see cref="JobEventKind.Succeeded"/> or <see cref="JobEventKind.Failed"/> event, or null before the first run ended.</param>
public sealed record RecurringJobInfo(Job Job, JobEvent? LastResult)
{
    /// <summary>True while the job is paused: it does not run until resumed.</summary>
    public bool Paused => Job.Status == JobStatus.Paused;
}
