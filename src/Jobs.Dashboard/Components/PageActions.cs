using Jobs.Dashboard.Actions;
using Microsoft.AspNetCore.Components.Authorization;

namespace Jobs.Dashboard.Components;

/// <summary>Runs an action from a page and always comes back with an outcome to show, never an exception.</summary>
internal static class PageActions
{
    public static async Task<DashboardCaller> CallerAsync(AuthenticationStateProvider authentication, DashboardContext context)
        => new((await authentication.GetAuthenticationStateAsync()).User, context.CanAct);

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
