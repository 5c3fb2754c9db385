namespace Jobs.States;

/// <summary>The transition an action makes from a state, or why it does not apply there.</summary>
internal readonly record struct JobDecision
{
    private JobDecision(JobTransition? transition, string? refusal)
    {
        Transition = transition;
        Refusal = refusal;
    }

    /// <summary>The transition; null when the action does not apply.</summary>
    public JobTransition? Transition { get; }

    /// <summary>Why the action does not apply, to end a sentence such as "job 5 is finished and cannot be cancelled: ...".</summary>
    public string? Refusal { get; }

    public bool Allowed => Transition is not null;

    public static JobDecision To(JobTransition transition) => new(transition, null);

    public static JobDecision Refused(string why) => new(null, why);
}
