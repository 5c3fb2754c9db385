namespace Jobs.Server;

/// <summary>Log lines of the demo server (event ids 9xxx, apart from the engine's).</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Information, "Recurring cleanup job {JobId} scheduled every {Interval}")]
    public static partial void CleanupScheduled(ILogger logger, long jobId, TimeSpan interval);

    [LoggerMessage(9001, LogLevel.Information, "Recurring cleanup job {JobId} already exists; not scheduling another")]
    public static partial void CleanupAlreadyScheduled(ILogger logger, long jobId);

    // Not from the database (9004 is the one that was): a bug worth its stack.
    [LoggerMessage(9002, LogLevel.Warning, "Scheduling demo jobs failed; trying again in {Delay}")]
    public static partial void ProduceFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(9004, LogLevel.Warning, "Scheduling demo jobs failed ({Cause}); trying again in {Delay}")]
    public static partial void ProduceRetrying(ILogger logger, string cause, TimeSpan delay);

    [LoggerMessage(9005, LogLevel.Debug, "Scheduling demo jobs failed")]
    public static partial void ProduceFailureDetail(ILogger logger, Exception exception);

    [LoggerMessage(9003, LogLevel.Information, "Cleanup job {JobId} ran (keeping {KeepDays} days)")]
    public static partial void CleanupRan(ILogger logger, long jobId, int keepDays);
}
