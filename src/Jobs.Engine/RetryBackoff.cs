namespace Jobs;

/// <summary>How long to wait before the next attempt of a failed job: exponential, capped, with jitter.</summary>
public sealed class RetryBackoff
{
    /// <summary>The wait after the first failed attempt. Default: 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Each further failure multiplies the wait by this (at least 1). Default: 2.</summary>
    public double Factor { get; set; } = 2;

    /// <summary>The longest wait. Default: 1 hour.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A random share of the wait, added or removed, so that failures of many jobs do not retry in lock-step
    /// (0 to 1). Default: 0.2.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>The wait after the given failed attempt (1 for the first).</summary>
    public TimeSpan GetDelay(int failedAttempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Max(0, failedAttempt - 1);
        var ms = BaseDelay.TotalMilliseconds * Math.Pow(Factor, exponent);
        ms = Math.Min(ms, MaxDelay.TotalMilliseconds);
        ms += ms * Jitter * ((random.NextDouble() * 2) - 1);
        return TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, MaxDelay.TotalMilliseconds));
    }
}
