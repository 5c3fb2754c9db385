namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>One job in each state a page shows differently (failed, finished, queued for later), all matching <see cref="Run"/>.</summary>
internal sealed record SampleJobs(string Run, Job Failed, Job Finished, Job Queued)
{
    public static async Task<SampleJobs> CreateAsync(DashboardServer server, string prefix)
    {
        var run = prefix + Guid.NewGuid().ToString("N")[..8];
        var failed = await server.Client.ScheduleAsync(E2EJobs.Flaky, new FlakyArgs($"{run}-failed"));
        var finished = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-finished"));
        var queued = await server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs($"{run}-queued"),
            new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });
        await Eventually.StatusAsync(server.Client, failed.Id, JobStatus.Failed);
        await Eventually.StatusAsync(server.Client, finished.Id, JobStatus.Finished);
        return new SampleJobs(run, failed, finished, queued);
    }
}
