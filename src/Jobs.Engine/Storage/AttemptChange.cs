namespace Jobs.Storage;

/// <summary>What a change does to a job's attempt counter.</summary>
internal enum AttemptChange
{
    /// <summary>Left as it is.</summary>
    Keep,

    /// <summary>Back to 0: a fresh retry budget (a requeue, a recurring job's next occurrence).</summary>
    Reset,

    /// <summary>One less: the attempt that was claimed never ran to an end, so it does not count (a release).</summary>
    Undo,
}
