
namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>Waits for a stored state, polling; fails with what it waited for. Never a fixed sleep that a test depends on.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DashboardFixture.Patience);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what} (last value: {value}).");
            }

            await Task.Delay(50);
        }
    }

    public static Task<Job> StatusAsync(IJobClient client, long jobId, JobStatus status)
        => ValueAsync(() => client.GetAsync(jobId), j => j.Status == status, $"job {jobId} to be {status}");
}
