using Microsoft.AspNetCore.Components;

namespace Jobs.Dashboard.Components;

/// <summary>What every page of one dashboard circuit shares: where the dashboard lives, its title, and whether actions are offered.</summary>
internal sealed class DashboardContext(string root, string title, bool canAct, NavigationManager navigation)
{
    /// <summary>The dashboard's URL path (path base included), without a trailing slash.</summary>
    public string Root { get; } = root;

    /// <summary>False in read-only mode: no action is offered (and the server refuses them anyway).</summary>
    public bool CanAct { get; } = canAct;

    /// <summary>The URL of a dashboard page, such as <c>jobs/5</c>.</summary>
    /// <summary>The browser tab's title for a page: the page first, so tabs of one dashboard tell apart.</summary>
    public string PageTitle(string page) => $"{page} · {title}";

    public string Href(string relative) => relative.Length == 0 ? Root + "/" : $"{Root}/{relative}";

    public void NavigateTo(string relative, bool replace = false) => navigation.NavigateTo(Href(relative), replace: replace);
}
