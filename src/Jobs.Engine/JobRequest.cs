namespace Jobs;

/// <summary>One job of a batch passed to <see cref="IJobClient.ScheduleManyAsync"/>.</summary>
public sealed class JobRequest
{
    private JobRequest(string type, object? args, Type? argsType, TimeSpan? interval, JobScheduleOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Type = type;
        Args = args;
        ArgsType = argsType;
        Interval = interval;
        Options = options;
    }

    /// <summary>The job type name.</summary>
    public string Type { get; }

    /// <summary>The payload, or null for a type without one.</summary>
    public object? Args { get; }

    /// <summary>The static type the payload was given as.</summary>
    public Type? ArgsType { get; }

    /// <summary>For a recurring job, the time between runs.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>Priority, run time, queue.</summary>
    public JobScheduleOptions? Options { get; }

    /// <summary>A one-off job with a payload.</summary>
    public static JobRequest Create<TArgs>(string type, TArgs args, JobScheduleOptions? options = null)
        => new(type, args, typeof(TArgs), null, options);

    /// <summary>A one-off job without a payload.</summary>
    public static JobRequest Create(string type, JobScheduleOptions? options = null)
        => new(type, null, null, null, options);

    /// <summary>A recurring job with a payload.</summary>
    public static JobRequest CreateRecurring<TArgs>(string type, TArgs args, TimeSpan interval, JobScheduleOptions? options = null)
        => new(type, args, typeof(TArgs), interval, options);

    /// <summary>A recurring job without a payload.</summary>
    public static JobRequest CreateRecurring(string type, TimeSpan interval, JobScheduleOptions? options = null)
        => new(type, null, null, interval, options);
}
