using Jobs.Dashboard.Components;

namespace Jobs.Tests.Dashboard;

/// <summary>The timeline's details in the dashboard's words: local times, human durations, Deleted, proper plurals.</summary>
public sealed class EventTextTests
{
    [Theory]
    [InlineData(JobEventKind.Succeeded, "took 12.3 ms", "took 12 ms")]
    [InlineData(JobEventKind.Succeeded, "took 2345.6 ms", "took 2.3 s")]
    [InlineData(JobEventKind.Succeeded, "took 250000 ms; next run at 2030-01-01T10:00:00.0000000Z", "took 4 min 10 s; next run at 2030-01-01 10:00:00 UTC")]
    [InlineData(JobEventKind.Failed, "Failed after 1 attempts", "Failed after 1 attempt")]
    [InlineData(JobEventKind.Failed, "Failed after 3 attempts", "Failed after 3 attempts")]
    [InlineData(JobEventKind.Destroyed, "Destroyed while Queued", "Deleted while Queued")]
    [InlineData(JobEventKind.RetryScheduled, "Attempt 1 of 4 failed; retry at 2030-01-01T10:00:00.5+00:00", "Attempt 1 of 4 failed; retry at 2030-01-01 10:00:00 UTC")]
    public void Detail_EngineMessage_ReadsInTheDashboardsWords(JobEventKind kind, string message, string shown)
    {
        var e = new JobEvent(1, 1, DateTimeOffset.UnixEpoch, kind, 1, null, message, null);

        Assert.Equal(shown, EventText.Detail(e, new BrowserTime()));
    }

    [Theory]
    [InlineData(JobEventKind.Succeeded, "Finished")]
    [InlineData(JobEventKind.Destroyed, "Deleted")]
    [InlineData(JobEventKind.RetryScheduled, "Retry scheduled")]
    [InlineData(JobEventKind.Started, "Started")]
    public void EventName_Kind_OneWordPerConcept(JobEventKind kind, string name) => Assert.Equal(name, Fmt.EventName(kind));

    [Fact]
    public void Say_EngineRefusal_DeletedNotDestroyed()
        => Assert.Equal("Job 5 was deleted; it cannot be cancelled.", EngineWords.Say("Job 5 was destroyed; it cannot be cancelled."));
}
