using System.Diagnostics;
using Jobs.Diagnostics;
using Jobs.Storage;

namespace Jobs.Tests.Telemetry;

public sealed class StoredTraceTests
{
    [Fact]
    public void Of_W3CActivityWithState_ParentAndStateAsTheyAre()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "tenant=42";

        Assert.Equal((activity.Id, "tenant=42"), StoredTrace.Of(activity));
    }

    [Fact]
    public void Of_StateOverItsLimitOrHoldingNul_DroppedWholeOrMadeStorable()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "a=" + new string('x', StoredText.TraceStateMax);
        Assert.Equal((activity.Id, null), StoredTrace.Of(activity));

        activity.TraceStateString = "a=b\0c";
        Assert.Equal("a=b\uFFFDc", StoredTrace.Of(activity).State);
    }

    [Fact]
    public void Of_NoActivityOrHierarchicalId_NothingStored()
    {
        using var hierarchical = new Activity("request").SetIdFormat(ActivityIdFormat.Hierarchical).Start();

        Assert.Equal((null, null), StoredTrace.Of(null));
        Assert.Equal((null, null), StoredTrace.Of(hierarchical));
    }
}
