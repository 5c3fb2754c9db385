namespace Jobs.Tests.Infrastructure;

/// <summary>Waits for an observable condition (a stored state), failing with a message if it does not hold in time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
        => TrueAsync(condition, () => what, timeout);

    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout ?? DefaultTimeout} waiting for: {what()}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Refreshes the job until it reaches the status.</summary>
    public static async Task StatusAsync(Job job, JobStatus status, TimeSpan? timeout = null)
    {
        await TrueAsync(async () =>
        {
            await job.RefreshAsync();
            return job.Status == status;
        }, () => $"job {job.Id} to be {status} (is {job.Status})", timeout);
    }
}
