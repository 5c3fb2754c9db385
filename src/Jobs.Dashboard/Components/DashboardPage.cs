namespace Jobs.Dashboard.Components;

/// <summary>The pages of the dashboard.</summary>
internal enum DashboardPage
{
    Overview = 0,
    Jobs = 1,
    Job = 2,
    Recurring = 3,
    Pools = 4,
    Types = 5,
    NotFound = 6,
    Audit = 7,
    Deleted = 8,
}
