namespace Jobs.Storage;

/// <summary>Which events a newest-first read of the history returns.</summary>
internal enum LatestEvents
{
    /// <summary>Operators' actions taken with a name: the audit log.</summary>
    Audit = 0,

    /// <summary>Deletions: what is left of jobs whose rows are gone.</summary>
    Deletions = 1,
}
