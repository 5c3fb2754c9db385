namespace Jobs;

/// <summary>How operator actions read in text: the engine's refusals and a dashboard's buttons and notices use the same words.</summary>
public static class JobActionWords
{
    /// <summary>The action as a command, as a button or a question names it: "Retry", "Run now", "Cancel", "Delete", "Pause", "Resume".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not a defined action.</exception>
    public static string Verb(JobAction action) => Words(action).Verb;

    /// <summary>The action as done, as a message reports it ("job 5 was not paused"): "retried", "made due", "cancelled", "deleted",
    /// "paused", "resumed".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not a defined action.</exception>
    public static string PastTense(JobAction action) => Words(action).Past;

    private static (string Verb, string Past) Words(JobAction action) => action switch
    {
        JobAction.Retry => ("Retry", "retried"),
        JobAction.RunNow => ("Run now", "made due"),
        JobAction.Cancel => ("Cancel", "cancelled"),
        JobAction.Delete => ("Delete", "deleted"),
        JobAction.Pause => ("Pause", "paused"),
        JobAction.Resume => ("Resume", "resumed"),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };
}
