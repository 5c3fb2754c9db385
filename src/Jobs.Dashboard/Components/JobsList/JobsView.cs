namespace Jobs.Dashboard.Components.JobsList;

/// <summary>A slice of the queued jobs that has its own tab, as in Hangfire: what waits for its time rather than for a worker.</summary>
internal enum JobsView
{
    /// <summary>Queued with a run time in the future (retries waiting for their back-off included).</summary>
    Scheduled = 0,

    /// <summary>Queued after at least one attempt: a failed attempt's back-off, or a pool that died during the attempt.</summary>
    Retrying = 1,
}
