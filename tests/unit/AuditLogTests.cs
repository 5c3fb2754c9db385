using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>Operators' actions taken with a name are kept in the job's history and listed by the audit log.</summary>
public sealed class AuditLogTests
{
    [Theory, AllProviders]
    public async Task ActingAs_OperatorCancelsAndDeletes_HistoryAndAuditLogNameThemNewestFirst(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var cancelled = await jobs.Client.ScheduleAsync("x");
        var deleted = await jobs.Client.ScheduleAsync("x");
        var anonymous = await jobs.Client.ScheduleAsync("x");

        await admin.ActingAs("alice@example.com").CancelAsync(new JobTarget(cancelled.Id));
        await admin.ActingAs("Zoë ✓").DeleteAsync(new JobTarget(deleted.Id));
        await admin.CancelAsync(new JobTarget(anonymous.Id));

        var cancel = Assert.Single(await cancelled.GetHistoryAsync(), e => e.Kind == JobEventKind.Cancelled);
        Assert.Equal("alice@example.com", cancel.Actor);
        Assert.All(await cancelled.GetHistoryAsync(), e => Assert.True(e.Kind == JobEventKind.Cancelled || e.Actor is null));
        Assert.Null(Assert.Single(await anonymous.GetHistoryAsync(), e => e.Kind == JobEventKind.Cancelled).Actor);
        var audit = await jobs.Monitor.GetAuditLogAsync();
        Assert.Equal([(deleted.Id, JobEventKind.Destroyed, "Zoë ✓"), (cancelled.Id, JobEventKind.Cancelled, "alice@example.com")],
            audit.Select(e => (e.JobId, e.Kind, e.Actor!)));
    }

    [Theory, AllProviders]
    public async Task ActingAs_BulkActionOverAFilter_OneAuditEventPerChangedJob(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var scheduled = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 5).Select(_ => JobRequest.Create("x")));

        var result = await admin.ActingAs("bob").ApplyAsync(JobAction.Cancel, new JobQuery { Type = "x" });

        Assert.Equal(5, result.Applied);
        var audit = await jobs.Monitor.GetAuditLogAsync(limit: 3);
        var rest = await jobs.Monitor.GetAuditLogAsync(limit: 3, beforeEventId: audit[^1].Id);
        Assert.Equal(scheduled.Select(j => j.Id).Order(), audit.Concat(rest).Select(e => e.JobId).Order());
        Assert.All(audit.Concat(rest), e => Assert.Equal("bob", e.Actor));
        Assert.Equal(audit.Concat(rest).Select(e => e.Id).OrderDescending(), audit.Concat(rest).Select(e => e.Id));
    }

    [Theory, AllProviders]
    public async Task ActingAs_NameWithNulAndFarTooLong_StoredCleanedAndCut(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var job = await jobs.Client.ScheduleAsync("x");

        await jobs.Services.GetRequiredService<IJobAdmin>().ActingAs("ev\0e" + new string('x', 5_000)).CancelAsync(new JobTarget(job.Id));

        var actor = Assert.Single(await jobs.Monitor.GetAuditLogAsync()).Actor!;
        Assert.StartsWith("ev\uFFFDe", actor, StringComparison.Ordinal);
        Assert.True(actor.Length <= 200, $"{actor.Length} characters stored");
    }

    [Fact]
    public void ActingAs_BlankName_ThrowsNamingTheArgument()
    {
        using var services = new ServiceCollection().AddLogging().AddJobs(o => o.UseSqlite("Data Source=:memory:")).Services.BuildServiceProvider();
        var admin = services.GetRequiredService<IJobAdmin>();

        Assert.Equal("actor", Assert.Throws<ArgumentException>(() => admin.ActingAs("  ")).ParamName);
        Assert.Throws<ArgumentNullException>(() => admin.ActingAs(null!));
    }

    [Theory, AllProviders]
    public async Task GetDeletedAsync_JobsDeletedWithAndWithoutAName_NewestFirstWithStateTypeAndQueue(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("x", _ => Task.CompletedTask), startPool: false);
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();
        var first = await jobs.Client.ScheduleAsync("x", new JobScheduleOptions { Queue = "mail" });
        var second = await jobs.Client.ScheduleAsync("x");
        var kept = await jobs.Client.ScheduleAsync("x");

        await first.DeleteAsync();
        await admin.ActingAs("dora").DeleteAsync(new JobTarget(second.Id));

        var deleted = await jobs.Monitor.GetDeletedAsync();
        Assert.Equal([(second.Id, "dora"), (first.Id, null)], deleted.Select(e => (e.JobId, e.Actor)));
        Assert.Equal("Deleted while Queued (x in queue mail)", deleted[1].Message);
        Assert.DoesNotContain(deleted, e => e.JobId == kept.Id);
        Assert.Equal([first.Id], (await jobs.Monitor.GetDeletedAsync(limit: 1, beforeEventId: deleted[0].Id)).Select(e => e.JobId));
    }
}
