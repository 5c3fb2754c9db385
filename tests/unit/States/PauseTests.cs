using Jobs.Maintenance;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.States;

/// <summary>Paused is a status of its own: a paused recurring job is never claimed, is counted and listed as paused, and resumes
/// at its next occurrence; pausing an executing one cancels its token and it ends paused, where a cancel ends it cancelled.</summary>
public sealed class PauseTests
{
    private static readonly TimeSpan Hourly = TimeSpan.FromHours(1);

    [Theory, AllProviders]
    public async Task PauseAndResume_DueRecurringJob_NeverClaimedWhilePausedThenQueuedAtItsNextOccurrence(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        await using var jobs = await JobsHarness.CreateAsync(db, b => b.AddJobType("tick", _ => Task.CompletedTask), startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var recurring = await jobs.Client.ScheduleRecurringAsync("tick", Hourly);
        var paused = await admin.PauseAsync(JobTarget.Seen(recurring));

        // A pool starts with the paused job due; a job it does run shows it looked at the queue.
        await jobs.Pool.StartAsync();
        var marker = await jobs.Client.ScheduleAsync("tick", new JobScheduleOptions { Priority = -10 });
        await Eventually.StatusAsync(marker, JobStatus.Finished);

        await paused.RefreshAsync();
        Assert.Equal(JobStatus.Paused, paused.Status);
        Assert.DoesNotContain(await paused.GetHistoryAsync(), e => e.Kind == JobEventKind.Started);
        Assert.Equal(1, (await jobs.Monitor.CountByStatusAsync())[JobStatus.Paused]);
        Assert.Equal(1, (await jobs.Monitor.CountByStatusAsync(atMost: 10))[JobStatus.Paused]);
        Assert.Equal([paused.Id], (await jobs.Monitor.ListAsync(new JobQuery { Status = JobStatus.Paused })).Items.Select(j => j.Id));
        Assert.True(Assert.Single(await jobs.Monitor.GetRecurringAsync()).Paused);
        Assert.True(paused.Can(JobAction.Resume));
        Assert.False(paused.Can(JobAction.Pause));

        var resumed = await admin.ResumeAsync(JobTarget.Seen(paused));

        // The occurrence it was waiting for passed while it was paused: it is skipped, and the cadence kept.
        Assert.Equal(JobStatus.Queued, resumed.Status);
        Assert.Equal(recurring.RunAt + Hourly, resumed.RunAt, TimeSpan.FromMilliseconds(1));
        Assert.False(Assert.Single(await jobs.Monitor.GetRecurringAsync()).Paused);
        Assert.Equal(
            [JobEventKind.Scheduled, JobEventKind.Cancelled, JobEventKind.Rescheduled],
            (await resumed.GetHistoryAsync()).Select(e => e.Kind));
    }

    [Theory, AllProviders]
    public async Task PauseAsync_ExecutingRecurringJob_TokenCancelledAndItEndsPaused(string provider)
    {
        await using var jobs = await CreateWaitingAsync(provider);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleRecurringAsync("wait", Hourly);
        await Eventually.StatusAsync(job, JobStatus.Executing);

        var pausing = await admin.PauseAsync(JobTarget.Seen(job));
        Assert.Equal(JobStatus.Executing, pausing.Status);
        Assert.True(pausing.CancelRequested);

        await Eventually.StatusAsync(job, JobStatus.Paused);
        Assert.Null(job.LastError);
        Assert.Equal(JobEventKind.Cancelled, (await job.GetHistoryAsync())[^1].Kind);
        var resumed = await admin.ResumeAsync(JobTarget.Seen(job));
        Assert.Equal(JobStatus.Queued, resumed.Status);
        Assert.True(resumed.RunAt > DateTimeOffset.UtcNow, $"next run {resumed.RunAt:o} is ahead");
        Assert.False(resumed.CancelRequested);
    }

    [Theory, AllProviders]
    public async Task CancelAsync_ExecutingRecurringJob_EndsCancelledNotPaused(string provider)
    {
        await using var jobs = await CreateWaitingAsync(provider);
        var job = await jobs.Client.ScheduleRecurringAsync("wait", Hourly);
        await Eventually.StatusAsync(job, JobStatus.Executing);

        await job.CancelAsync();

        await Eventually.StatusAsync(job, JobStatus.Cancelled);
        Assert.False(Assert.Single(await jobs.Monitor.GetRecurringAsync()).Paused);
        Assert.True(job.Can(JobAction.Resume));
    }

    [Theory, AllProviders]
    public async Task PauseAsync_AfterCancelRequestedOnExecutingRecurringJob_EndsPaused(string provider)
    {
        // The handler outlives its cancel request, so the pause reaches it still executing.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("linger", async ctx =>
        {
            await release.Task;
            ctx.CancellationToken.ThrowIfCancellationRequested();
        }));
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var job = await jobs.Client.ScheduleRecurringAsync("linger", Hourly);
        await Eventually.StatusAsync(job, JobStatus.Executing);

        var cancelling = await admin.CancelAsync(JobTarget.Seen(job));
        Assert.True(cancelling.Can(JobAction.Pause));
        await admin.PauseAsync(JobTarget.Seen(cancelling));
        release.SetResult();

        await Eventually.StatusAsync(job, JobStatus.Paused);
    }

    [Theory, AllProviders]
    public async Task Rescue_DeadPoolsJobWithPauseOrCancelRequested_EndsPausedOrCancelled(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType(StateSetup.Type, _ => Task.CompletedTask), startPool: false);
        var pausing = await StateSetup.NewJobAsync(jobs, "PauseRequested", recurring: true);
        var cancelling = await StateSetup.NewJobAsync(jobs, "CancelRequested", recurring: true);

        await jobs.Services.GetRequiredService<Rescuer>().RescueAsync("rescuer", DateTime.UtcNow, TimeSpan.FromSeconds(5), CancellationToken.None);

        await pausing.RefreshAsync();
        await cancelling.RefreshAsync();
        Assert.Equal(JobStatus.Paused, pausing.Status);
        Assert.Equal(JobStatus.Cancelled, cancelling.Status);
    }

    private static async Task<JobsHarness> CreateWaitingAsync(string provider)
        => await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType("wait", ctx => Task.Delay(Timeout.Infinite, ctx.CancellationToken)));
}
