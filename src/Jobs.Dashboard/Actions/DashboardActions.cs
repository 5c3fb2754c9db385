using Jobs.Dashboard.Components;
using Jobs.Dashboard.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Actions;

/// <summary>Every operator action of the dashboard, from the Blazor UI and the hub alike: checks access on the server, calls the
/// engine's <see cref="IJobAdmin"/>, turns its refusals into messages and logs who did what.</summary>
internal sealed class DashboardActions(
    IJobAdmin admin,
    IJobClient client,
    IOptions<JobsDashboardOptions> options,
    IAuthorizationService authorization,
    ILogger<DashboardActions> logger)
{
    public async Task<ActionOutcome> ApplyAsync(DashboardCaller caller, JobAction action, JobTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await EnsureAllowedAsync(caller, action);
        var acting = admin.ActingAs(caller.Name); // The job's history and the audit log name who did it.
        try
        {
            var message = action switch
            {
                JobAction.Retry => Describe(action, await acting.RetryAsync(target, cancellationToken)),
                JobAction.RunNow => Describe(action, await acting.RunNowAsync(target, cancellationToken)),
                JobAction.Cancel => DescribeCancel(await acting.CancelAsync(target, cancellationToken)),
                JobAction.Pause => Describe(action, await acting.PauseAsync(target, cancellationToken)),
                JobAction.Resume => Describe(action, await acting.ResumeAsync(target, cancellationToken)),
                JobAction.Delete => await DeleteAsync(acting, target, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
            };
            Log.ActionApplied(logger, caller.Name, action, target.JobId, message);
            return new ActionOutcome(true, message);
        }
        catch (InvalidJobStateException ex)
        {
            Log.ActionApplied(logger, caller.Name, action, target.JobId, ex.Message);
            // Only a refusal of the action itself stands; otherwise the job moved on, and the page shows it as it is now.
            return new ActionOutcome(false, EngineWords.Say(ex.Message), ChangedMeanwhile: ex.Reason != JobStateProblem.NotApplicable);
        }
        catch (JobNotFoundException ex)
        {
            return new ActionOutcome(false, EngineWords.Say(ex.Message), ChangedMeanwhile: true);
        }
    }

    public async Task<ActionOutcome> ApplyAsync(
        DashboardCaller caller, JobAction action, IReadOnlyCollection<JobTarget> targets, CancellationToken cancellationToken)
    {
        await EnsureAllowedAsync(caller, action);
        var result = await admin.ActingAs(caller.Name).ApplyAsync(action, targets, cancellationToken);
        Log.BulkActionApplied(logger, caller.Name, action, "selection", result.Applied, result.Skipped, result.Matched);
        return Summarize(action, result, "selected");
    }

    public async Task<ActionOutcome> ApplyAsync(DashboardCaller caller, JobAction action, JobQuery filter, CancellationToken cancellationToken)
    {
        await EnsureAllowedAsync(caller, action);
        var result = await admin.ActingAs(caller.Name).ApplyAsync(action, filter, cancellationToken);
        Log.BulkActionApplied(logger, caller.Name, action, "filter", result.Applied, result.Skipped, result.Matched);
        return Summarize(action, result, "matching");
    }

    /// <summary>A payload hidden by <see cref="JobsDashboardOptions.HidePayloads"/>, for a caller allowed to act (the same check as
    /// an action's); logged. Null when the job has none.</summary>
    public async Task<string?> RevealPayloadAsync(DashboardCaller caller, long jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await RefusalAsync(caller) is { } reason)
        {
            Log.RevealRefused(logger, jobId, caller.Name, reason);
            throw new DashboardAccessDeniedException($"Refused: {reason}.");
        }

        var job = await client.GetAsync(jobId, cancellationToken);
        Log.PayloadRevealed(logger, caller.Name, jobId);
        return job.Payload;
    }

    private async Task EnsureAllowedAsync(DashboardCaller caller, JobAction action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await RefusalAsync(caller) is { } reason)
        {
            Log.ActionRefused(logger, action, caller.Name, reason);
            throw new DashboardAccessDeniedException($"Refused: {reason}.");
        }
    }

    /// <summary>Read-only mode refuses everything; otherwise the caller must have been let in by the dashboard's access rule, and
    /// must still satisfy the configured policy (re-checked here, since a circuit outlives the request that opened it).</summary>
    private async Task<string?> RefusalAsync(DashboardCaller caller)
    {
        string? reason = null;
        if (options.Value.ReadOnly)
        {
            reason = "the dashboard is read-only";
        }
        else if (!caller.AccessGranted)
        {
            reason = "access to the dashboard was not granted";
        }
        else if (options.Value.AuthorizationPolicy is { } policy && !(await authorization.AuthorizeAsync(caller.User, policy)).Succeeded)
        {
            reason = $"the user does not satisfy the policy '{policy}'";
        }

        return reason;
    }

    private static async Task<string> DeleteAsync(IJobAdmin acting, JobTarget target, CancellationToken cancellationToken)
    {
        await acting.DeleteAsync(target, cancellationToken);
        return $"Job {target.JobId} {JobActionWords.PastTense(JobAction.Delete)}.";
    }

    private static string Describe(JobAction action, Job job)
    {
        var now = job is { Status: JobStatus.Executing, CancelRequested: true } ? "executing, cancel requested" : job.Status.ToString().ToLowerInvariant();
        return $"Job {job.Id} {JobActionWords.PastTense(action)}: now {now}.";
    }

    // An executing job is still executing when the request returns (its handler's token is cancelled, and the job ends cancelled
    // when the handler gives up), and may well have ended by the time the page shows it: so no "now executing" here.
    private static string DescribeCancel(Job job) => job.Status == JobStatus.Executing
        ? $"Job {job.Id}: cancel requested; the job stops at its next cancellation check."
        : $"Job {job.Id} cancelled.";

    private static ActionOutcome Summarize(JobAction action, BulkActionResult result, string scope)
    {
        var done = JobActionWords.PastTense(action);
        var message = $"{char.ToUpperInvariant(done[0])}{done[1..]} {result.Applied} of {result.Matched} {scope} {(result.Matched == 1 ? "job" : "jobs")}";
        if (result.Skipped > 0)
        {
            message += $"; {result.Skipped} skipped ({EngineWords.Say(string.Join(" ", result.Reasons.Take(3)))})";
        }

        return new ActionOutcome(result.Applied > 0 || result.Matched == 0, message + ".");
    }
}
