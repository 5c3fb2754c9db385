using Jobs.Diagnostics;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Execution;

/// <summary>Throttles a handler's progress reports: at most one write per interval; the last report always reaches the row with the outcome.</summary>
internal sealed class ProgressReporter(RunningJob job, IJobDriver store, TimeProvider time, TimeSpan interval, ILogger logger)
{
    private readonly Lock _lock = new();
    private long _lastWrite = long.MinValue;

    public int? Percent { get; private set; }
    public string? Message { get; private set; }

    public async ValueTask ReportAsync(int percent, string? message, CancellationToken cancellationToken)
    {
        // Cleaned here, not only at the write: the last report is also stored with the outcome, and must fit there too.
        message = StoredText.CleanOrNull(message, StoredText.ProgressMessageMax);
        var now = time.GetTimestamp();
        lock (_lock)
        {
            Percent = percent;
            Message = message;
            if (_lastWrite != long.MinValue && time.GetElapsedTime(_lastWrite, now) < interval)
            {
                return;
            }

            _lastWrite = now;
        }

        try
        {
            var version = await store.UpdateProgressAsync(job.Record.Id, job.Version, percent, message, job.PoolId, job.Record.Attempt,
                time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            if (version is { } v)
            {
                job.Version = v;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is advisory: a failed write must not fail the job. The final value is stored with the outcome.
            Log.ProgressFailed(logger, ex, job.Record.Id);
        }
    }
}
