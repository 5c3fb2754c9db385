using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Faults;

/// <summary>What a handle or an exception says about a job agrees with what the database keeps.</summary>
public sealed class JobIdentityTests
{
    private static void Types(IJobsBuilder b) => b.AddJobType("plain", _ => Task.CompletedTask);

    [Theory, AllProviders]
    public async Task GetAsync_DestroyedJob_JobNotFoundCarriesTheId(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);
        var job = await jobs.Client.ScheduleAsync("plain");
        await job.DeleteAsync();

        var get = await Assert.ThrowsAsync<JobNotFoundException>(() => jobs.Client.GetAsync(job.Id));
        var refresh = await Assert.ThrowsAsync<JobNotFoundException>(() => job.RefreshAsync());

        Assert.Equal(job.Id, get.JobId);
        Assert.Contains($"Job {job.Id} was deleted", get.Message, StringComparison.Ordinal);
        Assert.Equal(job.Id, refresh.JobId);
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_RunAtWithSubMicrosecondTicks_HandleEqualsAFreshRead(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        // After 2000 Npgsql's conversion floors; before 2000 it rounds toward the epoch: both must agree with the handle.
        foreach (var runAt in new[]
        {
            new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567),
            new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(2)).AddTicks(9_999_999),
        })
        {
            var handle = await jobs.Client.ScheduleAsync("plain", new JobScheduleOptions { RunAt = runAt });
            var read = await jobs.Client.GetAsync(handle.Id);

            Assert.Equal(read.RunAt, handle.RunAt);
            Assert.Equal(read.CreatedAt, handle.CreatedAt);
            Assert.Equal(runAt.UtcTicks - (runAt.UtcTicks % TimeSpan.TicksPerMicrosecond), handle.RunAt.UtcTicks);
        }
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAsync_RunAtsWithSubMicrosecondTicks_EachHandleEqualsAFreshRead(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var handles = await jobs.Client.ScheduleManyAsync(Enumerable.Range(1, 25).Select(i =>
            JobRequest.Create("plain", new JobScheduleOptions { RunAt = start.AddTicks(i * 7_777) })));

        foreach (var handle in handles)
        {
            var read = await jobs.Client.GetAsync(handle.Id);
            Assert.Equal(read.RunAt, handle.RunAt);
            Assert.Equal(read.CreatedAt, handle.CreatedAt);
        }
    }

    [Theory, AllProviders]
    public async Task RescheduleAsync_RunAtWithSubMicrosecondTicks_HandleEqualsAFreshRead(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);
        var job = await jobs.Client.ScheduleAsync("plain", new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddDays(1) });
        var at = new DateTimeOffset(2032, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(3);

        await job.RescheduleAsync(at);
        var read = await jobs.Client.GetAsync(job.Id);

        Assert.Equal(read.RunAt, job.RunAt);
        Assert.Equal(at.UtcTicks - 3, job.RunAt.UtcTicks);
    }
}
