using Jobs.Dashboard.Diagnostics;
using Jobs.Diagnostics;
using Jobs.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Live;

/// <summary>The hosted live feed: reads the job events recorded after its cursor, by any process, every poll interval, and
/// publishes them in-process to pages, hub connections and the throughput chart.</summary>
internal sealed class DashboardEventFeed(
    IJobMonitor monitor,
    DashboardEvents events,
    ThroughputTracker throughput,
    LiveFeedStatus status,
    IOptions<JobsDashboardOptions> options,
    TimeProvider time,
    ILogger<DashboardEventFeed> logger) : BackgroundService
{
    private const int BatchLimit = 1000;
    private const int BackfillLimit = 10_000;
    private static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        EventCursor? cursor = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                cursor ??= await StartFeedAsync(stoppingToken);
                var full = await PollAsync(cursor, stoppingToken);
                failures = 0;
                status.ReportRead();
                if (full)
                {
                    continue; // More are waiting: read on without sleeping.
                }

                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The feed must outlive a busy or unreachable database; it backs off and tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                status.ReportFailure(ex);
                var delay = Backoff.For(failures, FirstRetry, MaxRetry);
                if (FailureCause.IsFromDatabase(ex))
                {
                    Log.FeedFailureDetail(logger, ex);
                    Log.FeedRetrying(logger, FailureCause.Of(ex), delay);
                }
                else
                {
                    Log.FeedFailed(logger, ex, delay);
                }
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<EventCursor> StartFeedAsync(CancellationToken cancellationToken)
    {
        // Start at "now", but fill the throughput chart with what the recent past already holds.
        var latest = await monitor.GetLatestEventIdAsync(cancellationToken);
        var recent = await monitor.GetEventsAsync(Math.Max(0, latest - BackfillLimit), BackfillLimit, cancellationToken);
        throughput.Add(recent.Where(e => e.Id <= latest));
        return new EventCursor(latest, GapTimeout);
    }

    /// <returns>True when the batch was full, so more events may be waiting.</returns>
    private async Task<bool> PollAsync(EventCursor cursor, CancellationToken cancellationToken)
    {
        var batch = await monitor.GetEventsAsync(cursor.High, BatchLimit, cancellationToken);
        var fresh = cursor.Accept(batch, time.GetUtcNow());
        if (cursor.GapCursor is { } gapCursor)
        {
            var late = await monitor.GetEventsAsync(gapCursor, 100, cancellationToken);
            fresh.AddRange(cursor.Accept(late.Where(e => e.Id <= cursor.High), time.GetUtcNow()));
        }

        if (fresh.Count > 0)
        {
            throughput.Add(fresh);
            events.Publish(fresh, ex => Log.SubscriberFailed(logger, ex));
        }

        return batch.Count == BatchLimit;
    }
}
