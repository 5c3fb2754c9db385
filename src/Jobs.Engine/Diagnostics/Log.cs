using Microsoft.Extensions.Logging;

namespace Jobs.Diagnostics;

/// <summary>Every log line of the engine, with stable event ids (1xxx pool, 2xxx execution, 3xxx maintenance, 4xxx storage).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Pool {PoolId} started: {NumWorkers} workers on queues {Queues}, database {Provider}")]
    public static partial void PoolStarted(ILogger logger, string poolId, int numWorkers, string queues, string provider);

    [LoggerMessage(1001, LogLevel.Information, "Pool {PoolId} stopping; waiting up to {Timeout} for {Running} running jobs")]
    public static partial void PoolStopping(ILogger logger, string poolId, TimeSpan timeout, int running);

    [LoggerMessage(1002, LogLevel.Information, "Pool {PoolId} stopped")]
    public static partial void PoolStopped(ILogger logger, string poolId);

    // A database that cannot be reached is DatabaseOutage's (1010-1013); this is every other failure of a claim.
    [LoggerMessage(1003, LogLevel.Warning, "Pool {PoolId} could not claim jobs; retrying in {Delay}")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, string poolId, TimeSpan delay);

    [LoggerMessage(1004, LogLevel.Warning, "Pool {PoolId} shut down before {Count} jobs finished; they were cancelled and released")]
    public static partial void JobsReleased(ILogger logger, string poolId, int count);

    [LoggerMessage(1005, LogLevel.Warning, "Pool {PoolId} stopped before every outcome was stored; those jobs will be rescued by another pool")]
    public static partial void OutcomesAbandoned(ILogger logger, string poolId);

    [LoggerMessage(1006, LogLevel.Warning, "Pool {PoolId} could not reach the database at start-up; it keeps trying and starts claiming once the database answers")]
    public static partial void PoolStartedWithoutDatabase(ILogger logger, Exception exception, string poolId);

    [LoggerMessage(1007, LogLevel.Warning, "Pool {PoolId} has not reached the database since {LastBeat:o}; other pools may rescue its jobs soon, so it cancels its {Count} running jobs and queues them again once the database answers")]
    public static partial void PoolFenced(ILogger logger, string poolId, DateTime lastBeat, int count);

    [LoggerMessage(1008, LogLevel.Warning, "Pool {PoolId} released {Count} jobs the database said it was executing but no worker had: the reply to their claim was lost")]
    public static partial void StraysReleased(ILogger logger, string poolId, int count);

    [LoggerMessage(1009, LogLevel.Warning, "Pool {PoolId}: {Count} handlers did not return within {Grace} of their cancellation at shutdown; their jobs were released, and what they do now is not stored")]
    public static partial void HandlersIgnoredCancellation(ILogger logger, string poolId, int count, TimeSpan grace);

    // Once per outage, and without the exception: the stack is the driver's, the fix is in the configuration or the server.
    [LoggerMessage(1010, LogLevel.Error, "The jobs database cannot be reached: {Target}: {Cause}. Check {Hint}. Jobs keeps retrying in the background, one warning per retry (each exception at Debug)")]
    public static partial void DatabaseUnreachable(ILogger logger, string target, string cause, string hint);

    [LoggerMessage(1011, LogLevel.Warning, "The jobs {Loop} still cannot reach the database ({Cause}); retrying in {Delay}")]
    public static partial void StillUnreachable(ILogger logger, string loop, string cause, TimeSpan delay);

    [LoggerMessage(1012, LogLevel.Debug, "The jobs {Loop} could not reach the database")]
    public static partial void UnreachableDetail(ILogger logger, Exception exception, string loop);

    [LoggerMessage(1013, LogLevel.Information, "The jobs database is reachable again after {Downtime}: {Target}")]
    public static partial void DatabaseReachable(ILogger logger, string target, TimeSpan downtime);

    [LoggerMessage(1099, LogLevel.Critical, "Pool {PoolId} cannot store job outcomes any more; it stops claiming and beating so other pools rescue its jobs")]
    public static partial void CompleterFailed(ILogger logger, Exception exception, string poolId);

    [LoggerMessage(2000, LogLevel.Debug, "Job {JobId} ({Type}) attempt {Attempt} started")]
    public static partial void JobStarted(ILogger logger, long jobId, string type, int attempt);

    [LoggerMessage(2001, LogLevel.Debug, "Job {JobId} ({Type}) attempt {Attempt} succeeded in {ElapsedMs} ms")]
    public static partial void JobSucceeded(ILogger logger, long jobId, string type, int attempt, double elapsedMs);

    // Expected and stored with the job: a one-line summary, not a stack trace per retry.
    [LoggerMessage(2002, LogLevel.Information, "Job {JobId} ({Type}) attempt {Attempt} failed with {ErrorType}: {ErrorMessage}; retrying at {RetryAt:o}")]
    public static partial void JobRetrying(ILogger logger, long jobId, string type, int attempt, string errorType, string errorMessage, DateTime retryAt);

    // The stored short copy, not the exception object: a sink would render the whole text (megabytes, or a getter that throws).
    [LoggerMessage(2003, LogLevel.Error, "Job {JobId} ({Type}) failed for good after attempt {Attempt} with {ErrorType}: {Error}")]
    public static partial void JobFailed(ILogger logger, long jobId, string type, int attempt, string errorType, string error);

    [LoggerMessage(2004, LogLevel.Information, "Job {JobId} ({Type}) was cancelled")]
    public static partial void JobCancelled(ILogger logger, long jobId, string type);

    [LoggerMessage(2005, LogLevel.Information, "Job {JobId} changed while its outcome was being stored ({Outcome}); now {Status}, owned by {Owner}: outcome dropped")]
    public static partial void OutcomeSuperseded(ILogger logger, long jobId, string outcome, string status, string? owner);

    [LoggerMessage(2006, LogLevel.Error, "Storing outcomes of {Count} jobs failed; retrying")]
    public static partial void CompleteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(2007, LogLevel.Debug, "Progress of job {JobId} not stored")]
    public static partial void ProgressFailed(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(2008, LogLevel.Warning, "The database refused a batch of {Count} outcomes; storing them one at a time")]
    public static partial void BatchRefused(ILogger logger, Exception exception, int count);

    [LoggerMessage(2009, LogLevel.Error, "The database refused the outcome of job {JobId} ({Outcome}) {Attempts} times; storing it without its error and progress text")]
    public static partial void OutcomeRefused(ILogger logger, Exception exception, long jobId, string outcome, int attempts);

    [LoggerMessage(2010, LogLevel.Critical, "The database refused the outcome of job {JobId} ({Outcome}) even without its text; the pool's heartbeat releases the job to the queue")]
    public static partial void OutcomeLost(ILogger logger, Exception exception, long jobId, string outcome);

    [LoggerMessage(2011, LogLevel.Error, "Attempt {Attempt} of job {JobId} ({Type}) could not be recorded as it ended ({Fault}); it is stored as failed")]
    public static partial void ExecutionFault(ILogger logger, long jobId, string type, int attempt, string fault);

    [LoggerMessage(2012, LogLevel.Warning, "Job {JobId} ({Type}): the handler returned after the job was released at shutdown; its outcome ({Outcome}) is dropped")]
    public static partial void LateOutcomeDropped(ILogger logger, long jobId, string type, string outcome);

    [LoggerMessage(3000, LogLevel.Warning, "Rescued job {JobId} ({Type}) from pool {DeadPoolId}, which stopped beating")]
    public static partial void JobRescued(ILogger logger, long jobId, string type, string? deadPoolId);

    [LoggerMessage(3001, LogLevel.Warning, "Heartbeat of pool {PoolId} failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string poolId);

    [LoggerMessage(3002, LogLevel.Information, "Removed stale pool {DeadPoolId} (last heartbeat {HeartbeatAt:o})")]
    public static partial void PoolRemoved(ILogger logger, string deadPoolId, DateTime heartbeatAt);

    [LoggerMessage(3003, LogLevel.Information, "Pool {PoolId} leads maintenance (rescue of dead pools' jobs) for this database")]
    public static partial void LeaderElected(ILogger logger, string poolId);

    [LoggerMessage(3004, LogLevel.Warning, "Maintenance task {Task} in pool {PoolId} failed; it runs again at its next interval")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception, string task, string poolId);

    [LoggerMessage(4000, LogLevel.Information, "Migrating the {Provider} jobs database from schema version {DatabaseVersion} to {CodeVersion}")]
    public static partial void Migrating(ILogger logger, string provider, string databaseVersion, string codeVersion);

    [LoggerMessage(4001, LogLevel.Information, "Listening for wake-ups on {Channel}")]
    public static partial void ListenerConnected(ILogger logger, string channel);

    [LoggerMessage(4002, LogLevel.Warning, "The wake-up listener on channel {Channel} failed; polling covers the gap, reconnecting in {Delay}")]
    public static partial void ListenerLost(ILogger logger, Exception exception, string channel, TimeSpan delay);

    // A connection that worked and broke: once per break, the cause only; the exception goes to Debug (1012).
    [LoggerMessage(4007, LogLevel.Warning, "The wake-up listener on channel {Channel} lost its connection ({Cause}); polling covers the gap, reconnecting now")]
    public static partial void ListenerDropped(ILogger logger, string channel, string cause);

    [LoggerMessage(4003, LogLevel.Warning, "The jobs database could not be reached at start-up; it is retried in the background")]
    public static partial void DatabaseUnavailableAtStart(ILogger logger, Exception exception);

    [LoggerMessage(4004, LogLevel.Information, "Rewriting escaped payloads of the {Provider} jobs database in readable form, jobs after {DoneThroughId} up to {LastId}")]
    public static partial void PayloadRewriteStarted(ILogger logger, string provider, long doneThroughId, long lastId);

    [LoggerMessage(4005, LogLevel.Information, "Rewrote {Count} escaped payloads of the {Provider} jobs database in readable form")]
    public static partial void PayloadsRewritten(ILogger logger, string provider, int count);

    [LoggerMessage(4006, LogLevel.Warning, "The payload of job {JobId} was left escaped: the job changed each of {Rounds} times it was rewritten; search may miss its non-ASCII text")]
    public static partial void PayloadRewriteGaveUp(ILogger logger, long jobId, int rounds);
}
