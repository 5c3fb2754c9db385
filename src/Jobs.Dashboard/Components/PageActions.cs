using Jobs.Dashboard.Actions;
using Microsoft.AspNetCore.Components.Authorization;

namespace Jobs.Dashboard.Components;

/// <summary>Runs an action from a page and always comes back with an outcome to show, never an exception.</summary>
internal static class PageActions
{
    public static async Task<DashboardCaller> CallerAsync(AuthenticationStateProvider authentication, DashboardContext context)
        => new((await authentication.GetAuthenticationStateAsync()).User, context.CanAct);

    /// <summary>Whether the action can change some job in this status, so that bulk buttons over a filter are offered only there
    /// (a single job asks <see cref="Job.Can"/>). Pause and resume also need the job to be recurring. Pinned to the engine's
    /// state machine by a unit test (PageActionsTests), since the dashboard sees only the public API.</summary>
    public static bool Applies(JobAction action, JobStatus status) => action switch
    {
        JobAction.Retry => status is JobStatus.Failed or JobStatus.Cancelled or JobStatus.Finished,
        JobAction.RunNow => status is JobStatus.Queued,
        JobAction.Cancel or JobAction.Pause => status is JobStatus.Queued or JobStatus.Executing,
        JobAction.Resume => status is JobStatus.Paused or JobStatus.Cancelled or JobStatus.Finished or JobStatus.Failed,
        _ => true,
    };

    public static async Task<ActionOutcome> RunAsync(Func<Task<ActionOutcome>> action)
    {
        try
        {
            return await action();
        }
        catch (DashboardAccessDeniedException ex)
        {
            return ActionOutcome.Refused(ex.Message);
        }
#pragma warning disable CA1031 // Whatever went wrong (a busy database, say) is shown to the operator, not thrown at the circuit.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return ActionOutcome.Refused($"The action failed: {ex.Message}");
        }
    }
}
