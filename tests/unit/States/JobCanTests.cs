using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.States;

/// <summary><see cref="Job.Can"/> is what the operator's commands do: for every action and every state a one-off or recurring job
/// can be in, it is true exactly when the command succeeds, and a refused command changes nothing.</summary>
public sealed class JobCanTests
{
    [Theory, AllProviders]
    public async Task Can_EveryActionInEveryState_TrueExactlyWhenTheAdminCommandSucceeds(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var disagreements = new List<string>();
        foreach (var recurring in (bool[])[false, true])
        {
            foreach (var state in recurring ? StateSetup.Recurring : StateSetup.OneOff)
            {
                foreach (var action in Enum.GetValues<JobAction>())
                {
                    var job = await StateSetup.NewJobAsync(jobs, state, recurring);
                    var can = job.Can(action);
                    var refusal = await RefusalAsync(() => ApplyAsync(admin, action, JobTarget.Seen(job)));
                    await CheckAsync(jobs, job, can, refusal, $"{action} on a {(recurring ? "recurring" : "one-off")} job {state}", disagreements);
                }
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    [Theory, AllProviders]
    public async Task Can_CancelAndDeleteInEveryState_TrueExactlyWhenTheJobHandleSucceeds(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var disagreements = new List<string>();
        foreach (var recurring in (bool[])[false, true])
        {
            foreach (var state in recurring ? StateSetup.Recurring : StateSetup.OneOff)
            {
                var cancelled = await StateSetup.NewJobAsync(jobs, state, recurring);
                var canCancel = cancelled.Can(JobAction.Cancel);
                await CheckAsync(jobs, cancelled, canCancel, await RefusalAsync(() => cancelled.CancelAsync()), $"Job.CancelAsync, {state}", disagreements);

                var destroyed = await StateSetup.NewJobAsync(jobs, state, recurring);
                var canDelete = destroyed.Can(JobAction.Delete);
                await CheckAsync(jobs, destroyed, canDelete, await RefusalAsync(() => destroyed.DeleteAsync()), $"Job.DeleteAsync, {state}", disagreements);
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    private static async Task<JobsHarness> CreateAsync(string provider)
        => await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType(StateSetup.Type, _ => Task.CompletedTask), startPool: false);

    private static Task ApplyAsync(IJobAdmin admin, JobAction action, JobTarget target) => action switch
    {
        JobAction.Retry => admin.RetryAsync(target),
        JobAction.RunNow => admin.RunNowAsync(target),
        JobAction.Cancel => admin.CancelAsync(target),
        JobAction.Delete => admin.DeleteAsync(target),
        JobAction.Pause => admin.PauseAsync(target),
        JobAction.Resume => admin.ResumeAsync(target),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    private static async Task<InvalidJobStateException?> RefusalAsync(Func<Task> command)
    {
        try
        {
            await command();
            return null;
        }
        catch (InvalidJobStateException ex)
        {
            return ex;
        }
    }

    /// <summary>Notes where <paramref name="can"/> and the command disagree; a refusal must say the action did not apply (the
    /// snapshot was fresh) and leave the row as it was.</summary>
    private static async Task CheckAsync(JobsHarness jobs, Job seen, bool can, InvalidJobStateException? refusal, string what, List<string> disagreements)
    {
        if (can != (refusal is null))
        {
            disagreements.Add($"{what}: Can is {can}, the command {(refusal is null ? "succeeded" : "was refused: " + refusal.Message)}");
            return;
        }

        if (refusal is not null)
        {
            var now = await jobs.Client.GetAsync(seen.Id);
            if (refusal.Reason != JobStateProblem.NotApplicable || refusal.CurrentStatus != seen.Status || now.Version != seen.Version)
            {
                disagreements.Add($"{what}: refused with {refusal.Reason} at {refusal.CurrentStatus}, version {seen.Version} -> {now.Version}");
            }
        }
    }
}
