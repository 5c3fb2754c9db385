namespace Jobs;

/// <summary>One entry of a job's history.</summary>
/// <param name="Id">The event id; ids grow with time, so they also serve as a change-feed cursor.</param>
/// <param name="JobId">The job the event belongs to.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Attempt">The attempt number at the time.</param>
/// <param name="PoolId">The pool that recorded it, if any.</param>
/// <param name="Message">A short human-readable detail.</param>
/// <param name="Error">The error of a failed attempt.</param>
public sealed record JobEvent(
    long Id,
    long JobId,
    DateTimeOffset At,
    JobEventKind Kind,
    int Attempt,
    string? PoolId,
    string? Message,
    JobError? Error)
{
    /// <summary>Who asked for the change, for an operator's action taken through <see cref="IJobAdmin.ActingAs"/> (the dashboard
    /// names the signed-in user); null for the engine's own events and actions taken without a name.</summary>
    public string? Actor { get; init; }
}
