namespace Jobs.Tests.Infrastructure;

/// <summary>A clock for one "process" that a test can stall, as a process that stopped dead (SIGSTOP, a hung VM): from
/// <see cref="Stall"/> on, time stands still for it and none of its timers fire, so its pool never beats, maintains or
/// polls again, and what it would claim is not due yet at its frozen now. Before that it follows <paramref name="inner"/>.</summary>
internal sealed class StallableClock(TimeProvider inner) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _stalledAt;

    public bool IsStalled
    {
        get
        {
            lock (_gate)
            {
                return _stalledAt is not null;
            }
        }
    }

    public void Stall()
    {
        lock (_gate)
        {
            _stalledAt ??= inner.GetUtcNow();
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _stalledAt ?? inner.GetUtcNow();
        }
    }

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => inner.CreateTimer(s =>
        {
            if (!IsStalled)
            {
                callback(s);
            }
        }, state, dueTime, period);
}
