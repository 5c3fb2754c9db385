namespace Jobs.Dashboard.Actions;

/// <summary>The result of an operator action, as shown to the operator.</summary>
/// <param name="Succeeded">True when the action was applied (for a bulk action: to at least one job, or there was nothing to do).</param>
/// <param name="Message">What happened, or why nothing did.</param>
/// <param name="ChangedMeanwhile">True when the job changed since the operator saw it; the page shows the fresh state.</param>
internal sealed record ActionOutcome(bool Succeeded, string Message, bool ChangedMeanwhile = false)
{
    /// <summary>How the notice shows it: <c>success</c>, <c>changed</c> or <c>refused</c>.</summary>
    public string Kind => Succeeded ? "success" : ChangedMeanwhile ? "changed" : "refused";

    public static ActionOutcome Refused(string message) => new(false, message);
}
