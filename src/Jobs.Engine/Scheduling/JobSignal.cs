namespace Jobs.Scheduling;

/// <summary>Wakes this process's fetcher when a job is scheduled here, so it does not wait for the next poll.</summary>
internal sealed class JobSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _earliestDueTicks = long.MaxValue;

    /// <summary>Completes when <see cref="Notify"/> is called after the last <see cref="Reset"/>.</summary>
    public Task Current => Volatile.Read(ref _signal).Task;

    /// <summary>Call before looking for work, so that a job scheduled while looking still wakes the next wait.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _signal);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>A job becomes ready at <paramref name="dueAt"/>.</summary>
    public void Notify(DateTime dueAt)
    {
        var ticks = dueAt.Ticks;
        var seen = Interlocked.Read(ref _earliestDueTicks);
        while (ticks < seen)
        {
            var previous = Interlocked.CompareExchange(ref _earliestDueTicks, ticks, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }

        Volatile.Read(ref _signal).TrySetResult();
    }

    /// <summary>How long an idle fetcher should sleep: until the earliest job scheduled here is due, at most <paramref name="maxWait"/>.</summary>
    public TimeSpan NextWait(DateTime now, TimeSpan maxWait)
    {
        var due = Interlocked.Read(ref _earliestDueTicks);
        if (due == long.MaxValue)
        {
            return maxWait;
        }

        if (due <= now.Ticks)
        {
            Interlocked.CompareExchange(ref _earliestDueTicks, long.MaxValue, due);
            return TimeSpan.Zero;
        }

        var untilDue = TimeSpan.FromTicks(due - now.Ticks);
        return untilDue < maxWait ? untilDue : maxWait;
    }
}
