using Jobs.Storage.Model;

namespace Jobs.States;

/// <summary>What of a job's row decides which transitions apply to it.</summary>
/// <param name="Status">The stored status.</param>
/// <param name="Recurring">True for a job with an interval.</param>
/// <param name="CancelRequested">An executing job's token is to be cancelled.</param>
/// <param name="PauseRequested">With <paramref name="CancelRequested"/>: the job ends paused, not cancelled.</param>
internal readonly record struct JobState(JobStatus Status, bool Recurring, bool CancelRequested = false, bool PauseRequested = false)
{
    public static JobState Of(JobRecord job) => new(job.Status, job.IntervalMs is not null, job.CancelRequested, job.PauseRequested);
}
