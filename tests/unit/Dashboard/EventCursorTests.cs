using Jobs.Dashboard.Live;

namespace Jobs.Tests.Dashboard;

public sealed class EventCursorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JobEvent E(long id) => new(id, 1, T0, JobEventKind.Scheduled, 0, null, null, null);

    [Fact]
    public void Accept_InOrder_ReturnsEachEventOnceAndMovesOn()
    {
        var cursor = new EventCursor(10, TimeSpan.FromSeconds(10));

        Assert.Equal([11L, 12], cursor.Accept([E(11), E(12)], T0).Select(e => e.Id));
        Assert.Empty(cursor.Accept([E(11), E(12)], T0));
        Assert.Equal(12, cursor.High);
        Assert.Null(cursor.GapCursor);
    }

    [Fact]
    public void Accept_IdCommittedLate_ReturnsItWhenItShowsUp_Once()
    {
        var cursor = new EventCursor(10, TimeSpan.FromSeconds(10));

        Assert.Equal([11L, 13], cursor.Accept([E(11), E(13)], T0).Select(e => e.Id));
        Assert.Equal(11, cursor.GapCursor);
        Assert.Equal([12L], cursor.Accept([E(12), E(13)], T0.AddSeconds(1)).Select(e => e.Id));
        Assert.Null(cursor.GapCursor);
        Assert.Empty(cursor.Accept([E(12)], T0.AddSeconds(2)));
    }

    [Fact]
    public void Accept_GapNeverFilled_ForgottenAfterTheTimeout()
    {
        var cursor = new EventCursor(0, TimeSpan.FromSeconds(10));
        cursor.Accept([E(1), E(3)], T0);

        cursor.Accept([], T0.AddSeconds(11));

        Assert.Null(cursor.GapCursor);
        Assert.Empty(cursor.Accept([E(2)], T0.AddSeconds(12)));
    }
}
