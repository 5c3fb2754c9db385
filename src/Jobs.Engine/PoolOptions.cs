using System.ComponentModel.DataAnnotations;

namespace Jobs;

/// <summary>The worker pool of this process. Bound from the configuration section <c>Jobs:Pool</c>.</summary>
public sealed class PoolOptions
{
    /// <summary>Run a pool in this process. Turn off in processes that only schedule jobs. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many jobs run at once (1 to 1024). Default: 10.</summary>
    [Range(1, 1024)]
    public int NumWorkers { get; set; } = 10;

    /// <summary>How long an idle pool waits before it polls the database again (1 ms to 1 hour).
    /// Jobs scheduled in this process wake the pool at once. Default: 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.0010000", "01:00:00")]
    public TimeSpan MinWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most jobs claimed in one statement (1 to 10,000). Default: 100.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a pool may go without a heartbeat before other pools re-queue its executing jobs
    /// (at least twice <see cref="HeartbeatInterval"/>). Default: 30 seconds.</summary>
    public TimeSpan StaleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the pool records that it is alive, checks for cancel requests and rescues jobs of dead pools
    /// (100 ms to 10 minutes). Default: 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1000000", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On a graceful stop, how long running jobs may take to finish before their tokens are cancelled
    /// and they are released to other pools (0 to 1 hour). Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The queues this pool serves. Empty (the default) serves the queue of every registered job type.</summary>
    public IList<string> Queues { get; } = [];
}
