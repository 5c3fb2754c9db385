using Jobs.Execution;

namespace Jobs;

/// <summary>What a handler knows about the attempt it runs.</summary>
public sealed class JobContext
{
    private readonly ProgressReporter _progress;

    internal JobContext(long jobId, string type, int attempt, IServiceProvider services, ProgressReporter progress, CancellationToken cancellationToken)
    {
        JobId = jobId;
        Type = type;
        Attempt = attempt;
        Services = services;
        _progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>The job id. Together with <see cref="Attempt"/> it makes an idempotency key.</summary>
    public long JobId { get; }

    /// <summary>The job type name.</summary>
    public string Type { get; }

    /// <summary>The attempt number, 1 for the first run.</summary>
    public int Attempt { get; }

    /// <summary>The services of the scope created for this attempt.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the job is cancelled, times out, or its pool shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Stores the job's progress. Writes are throttled; the last report is always kept.</summary>
    /// <param name="percent">0 to 100.</param>
    /// <param name="message">A short description of the current step; stored up to 500 characters (longer ones are cut with a
    /// marker), NUL and unpaired surrogates replaced by U+FFFD.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public ValueTask ReportProgressAsync(int percent, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return _progress.ReportAsync(percent, message, cancellationToken);
    }
}
