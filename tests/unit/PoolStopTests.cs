using Jobs.Tests.Infrastructure;

namespace Jobs.Tests;

public sealed class PoolStopTests
{
    [Theory, AllProviders]
    public async Task StopAsync_SecondCallWhileStopping_WaitsForTheFirst_SoDisposingAfterItIsSafe(string provider)
    {
        // Like app.RunAsync() when something else stops the host: its own stop call returns, then it disposes the services.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("slow", _ =>
        {
            started.TrySetResult();
            return release.Task;
        }));
        var job = await jobs.Client.ScheduleAsync("slow");
        // The handler itself must be running: a job claimed but not yet started when the stop begins is released instead.
        await started.Task.WaitAsync(Eventually.DefaultTimeout);

        var first = jobs.Pool.StopAsync();
        var secondThenDispose = Task.Run(async () =>
        {
            await jobs.Pool.StopAsync();
            jobs.Pool.Runtime.Dispose();
        });
        Assert.False(secondThenDispose.IsCompleted);
        release.SetResult();

        await first;
        await secondThenDispose;
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Finished, job.Status);
    }
}
