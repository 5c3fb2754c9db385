using System.Security.Claims;
using Jobs.Dashboard;
using Jobs.Dashboard.Actions;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Dashboard;

/// <summary>How the dashboard reports an action: in the engine's words, and as "changed" (show the fresh state) or "refused" from
/// the refusal's <see cref="InvalidJobStateException.Reason"/>, never from its text.</summary>
public sealed class DashboardActionsTests
{
    private static readonly DashboardCaller Operator = new(new ClaimsPrincipal(), AccessGranted: true);

    [Theory, AllProviders]
    public async Task ApplyAsync_RefusedChangedDestroyedOrDone_ReportedByTheRefusalsReason(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType("tick", _ => Task.CompletedTask), startPool: false, extra: s => s.AddAuthorizationCore());
        var actions = new DashboardActions(jobs.Services.GetRequiredService<IJobAdmin>(), jobs.Services.GetRequiredService<IJobClient>(), Options.Create(new JobsDashboardOptions()),
            jobs.Services.GetRequiredService<IAuthorizationService>(), NullLogger<DashboardActions>.Instance);
        var later = new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) };
        var queued = await jobs.Client.ScheduleAsync("tick", later);
        var stale = JobTarget.Seen(queued);
        var gone = await jobs.Client.ScheduleAsync("tick", later);
        await gone.DeleteAsync();

        var notApplicable = await actions.ApplyAsync(Operator, JobAction.Retry, JobTarget.Seen(queued), CancellationToken.None);
        var done = await actions.ApplyAsync(Operator, JobAction.Cancel, JobTarget.Seen(queued), CancellationToken.None);
        var changed = await actions.ApplyAsync(Operator, JobAction.Delete, stale, CancellationToken.None);
        var destroyed = await actions.ApplyAsync(Operator, JobAction.Cancel, JobTarget.Seen(gone), CancellationToken.None);

        Assert.Equal("refused", notApplicable.Kind);
        Assert.Equal($"Job {queued.Id} is queued and cannot be retried: it is already queued; run it now instead.", notApplicable.Message);
        Assert.Equal("success", done.Kind);
        Assert.Equal($"Job {queued.Id} cancelled.", done.Message);
        Assert.Equal("changed", changed.Kind);
        Assert.StartsWith($"Job {queued.Id} changed meanwhile", changed.Message, StringComparison.Ordinal);
        Assert.Equal("changed", destroyed.Kind);
        Assert.Equal($"Job {gone.Id} was deleted; it cannot be cancelled.", destroyed.Message);
    }
}
