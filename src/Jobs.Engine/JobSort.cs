namespace Jobs;

/// <summary>The order of a job listing; every order ends with the job id, so pages never overlap.</summary>
public enum JobSort
{
    /// <summary>The order pools claim jobs in: priority (highest first), run time, id.</summary>
    ClaimOrder = 0,

    /// <summary>By id, which is the order jobs were stored in.</summary>
    Id = 1,

    /// <summary>By the time the next attempt may start (or the last one was due).</summary>
    RunAt = 2,

    /// <summary>By priority, then id.</summary>
    Priority = 3,
}
