using System.Security.Claims;

namespace Jobs.Dashboard.Actions;

/// <summary>Who asks for an action, and whether the dashboard's access rule let them in: for the Blazor UI, decided when the page was
/// served (and carried in Blazor's tamper-proof component descriptor); for the hub, when the connection was made.</summary>
internal sealed record DashboardCaller(ClaimsPrincipal User, bool AccessGranted)
{
    public string Name => User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
