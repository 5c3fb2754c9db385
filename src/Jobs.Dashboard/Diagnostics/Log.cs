using Microsoft.Extensions.Logging;

namespace Jobs.Dashboard.Diagnostics;

/// <summary>Every log line of the dashboard, with stable event ids (5xxx).</summary>
internal static partial class Log
{
    // A failure that did not come from the database or the way to it (5011 is the one that did).
    [LoggerMessage(5000, LogLevel.Warning, "The dashboard's live feed could not read job events; retrying in {Delay}")]
    public static partial void FeedFailed(ILogger logger, Exception exception, TimeSpan delay);

    // One line per back-off step while the database is away; the engine's own log says once which database and what to check.
    [LoggerMessage(5011, LogLevel.Warning, "The dashboard's live feed could not read job events ({Cause}); retrying in {Delay}")]
    public static partial void FeedRetrying(ILogger logger, string cause, TimeSpan delay);

    [LoggerMessage(5012, LogLevel.Debug, "The dashboard's live feed could not read job events")]
    public static partial void FeedFailureDetail(ILogger logger, Exception exception);

    [LoggerMessage(5001, LogLevel.Warning, "A live dashboard subscriber failed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(5002, LogLevel.Information, "Dashboard: {User} {Action} job {JobId}: {Outcome}")]
    public static partial void ActionApplied(ILogger logger, string user, JobAction action, long jobId, string outcome);

    [LoggerMessage(5003, LogLevel.Information, "Dashboard: {User} {Action} {Scope}: {Applied} applied, {Skipped} skipped of {Matched}")]
    public static partial void BulkActionApplied(ILogger logger, string user, JobAction action, string scope, int applied, int skipped, int matched);

    [LoggerMessage(5004, LogLevel.Warning, "Dashboard: {Action} refused for {User}: {Reason}")]
    public static partial void ActionRefused(ILogger logger, JobAction action, string user, string reason);

    [LoggerMessage(5005, LogLevel.Warning, "Dashboard request from {RemoteIp} to {Path} refused: not a loopback or local address, and only local requests are served until an authorization policy is named")]
    public static partial void RemoteRefused(ILogger logger, string remoteIp, string path);

    [LoggerMessage(5006, LogLevel.Warning, "Dashboard request to {Path} refused: a forwarding header is present ({Header}), so a proxy relayed it and its loopback address proves nothing; only direct local requests are served until an authorization policy is named")]
    public static partial void ForwardedRefused(ILogger logger, string header, string path);

    [LoggerMessage(5007, LogLevel.Warning, "Dashboard request to {Path} refused: Host {Host} is not a loopback name or in Jobs:Dashboard:AllowedHosts (possible DNS rebinding)")]
    public static partial void HostRefused(ILogger logger, string host, string path);

    [LoggerMessage(5008, LogLevel.Warning, "Dashboard request to {Path} refused: Origin {Origin} is neither the dashboard's own origin {OwnOrigin} nor in Jobs:Dashboard:AllowedOrigins (possible cross-site request)")]
    public static partial void OriginRefused(ILogger logger, string origin, string ownOrigin, string path);

    [LoggerMessage(5009, LogLevel.Information, "Dashboard: {User} revealed the payload of job {JobId}")]
    public static partial void PayloadRevealed(ILogger logger, string user, long jobId);

    [LoggerMessage(5010, LogLevel.Warning, "Dashboard: revealing the payload of job {JobId} refused for {User}: {Reason}")]
    public static partial void RevealRefused(ILogger logger, long jobId, string user, string reason);
}
