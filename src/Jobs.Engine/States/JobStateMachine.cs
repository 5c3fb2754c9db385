using Jobs.Execution;

namespace Jobs.States;

/// <summary>The job state machine: which transition each operator action makes from each state, and how an attempt whose stored
/// outcome lost its compare-and-swap ends. Everything that asks "may this happen now?" asks here: the operations and bulk
/// actions before they write, <see cref="Job.Can"/> for callers deciding what to offer, the completer and the rescuer.</summary>
/// <remarks>Paused exists only for recurring jobs. Cancel never ends a paused job (or one whose pause is requested) as cancelled:
/// it stays resumable. A cancelled recurring job can also be resumed, or retried like any ended job.</remarks>
internal static class JobStateMachine
{
    public static JobDecision Decide(JobAction action, JobState job) => action switch
    {
        JobAction.Cancel => Cancel(job),
        JobAction.Delete => JobDecision.To(JobTransition.Delete),
        JobAction.Retry => Retry(job),
        JobAction.RunNow => RunNow(job),
        JobAction.Pause => Pause(job),
        JobAction.Resume => Resume(job),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <summary>A new run time (<see cref="Job.RescheduleAsync"/>): a queued job moves, an ended or paused one is queued again.</summary>
    public static JobDecision Reschedule(JobState job) => job.Status switch
    {
        JobStatus.Queued => JobDecision.To(JobTransition.Move),
        JobStatus.Executing => JobDecision.Refused("cancel it or let it end first"),
        _ => JobDecision.To(JobTransition.RequeueAt),
    };

    /// <summary>What to store for an attempt whose outcome lost its compare-and-swap while the row still holds that attempt (it
    /// moved for a progress write or an operator's request): a requested cancellation overrides whatever the handler reached, so
    /// a job cancelled while executing never ends finished, and a requested pause ends it paused.</summary>
    public static OutcomeKind AfterLostSwap(OutcomeKind reached, JobState row) => row.CancelRequested ? Stopped(row) : reached;

    /// <summary>What to store for an executing job whose pool stopped beating.</summary>
    public static OutcomeKind Orphaned(JobState job, bool retriesLeft)
        => job.CancelRequested ? Stopped(job) : retriesLeft ? OutcomeKind.Rescued : OutcomeKind.Failed;

    /// <summary>How an attempt whose cancellation was requested ends.</summary>
    private static OutcomeKind Stopped(JobState job) => job is { PauseRequested: true, Recurring: true } ? OutcomeKind.Paused : OutcomeKind.Cancelled;

    private static JobDecision Cancel(JobState job) => job switch
    {
        { Status: JobStatus.Queued } => JobDecision.To(JobTransition.Cancel),
        { Status: JobStatus.Executing, CancelRequested: true } => JobDecision.To(JobTransition.AlreadyRequested),
        { Status: JobStatus.Executing } => JobDecision.To(JobTransition.RequestCancel),
        { Status: JobStatus.Paused } => JobDecision.Refused("it is paused, and does not run until resumed"),
        _ => JobDecision.Refused("only queued or executing jobs can be cancelled"),
    };

    private static JobDecision Retry(JobState job) => job.Status switch
    {
        JobStatus.Failed or JobStatus.Cancelled or JobStatus.Finished => JobDecision.To(JobTransition.Requeue),
        JobStatus.Queued => JobDecision.Refused("it is already queued; run it now instead"),
        JobStatus.Paused => JobDecision.Refused("it is paused; resume it instead"),
        _ => JobDecision.Refused("cancel it or let it end first"),
    };

    private static JobDecision RunNow(JobState job) => job.Status switch
    {
        JobStatus.Queued => JobDecision.To(JobTransition.RunNow),
        JobStatus.Executing => JobDecision.Refused("it is running"),
        JobStatus.Paused => JobDecision.Refused("it is paused; resume it instead"),
        _ => JobDecision.Refused("only queued jobs can; retry it instead"),
    };

    private static JobDecision Pause(JobState job) => job switch
    {
        { Recurring: false } => JobDecision.Refused("only recurring jobs can be paused; cancel it instead"),
        { Status: JobStatus.Queued } => JobDecision.To(JobTransition.Pause),

        // A pause asked for after a cancel still wins: the job then ends paused, so it stays resumable.
        { Status: JobStatus.Executing, PauseRequested: true } => JobDecision.To(JobTransition.AlreadyRequested),
        { Status: JobStatus.Executing } => JobDecision.To(JobTransition.RequestPause),
        { Status: JobStatus.Paused } => JobDecision.Refused("it is already paused"),
        _ => JobDecision.Refused("only queued or executing jobs can be paused; resume it to run it again"),
    };

    private static JobDecision Resume(JobState job) => job switch
    {
        { Recurring: false } => JobDecision.Refused("only recurring jobs can be resumed"),
        { Status: JobStatus.Queued or JobStatus.Executing } => JobDecision.Refused("it is not paused"),
        _ => JobDecision.To(JobTransition.Resume),
    };
}
