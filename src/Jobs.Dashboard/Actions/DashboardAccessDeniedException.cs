namespace Jobs.Dashboard.Actions;

/// <summary>An action was refused by the dashboard's access rules (read-only mode, or the caller does not satisfy the policy).</summary>
internal sealed class DashboardAccessDeniedException(string message) : Exception(message);
