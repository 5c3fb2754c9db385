using Jobs.Dashboard.Components.JobsList;

namespace Jobs.Tests.Dashboard;

/// <summary>The jobs list's state in its URL: what the page writes it reads back, old links still read, and the views filter right.</summary>
public sealed class JobsListQueryTests
{
    [Theory]
    [InlineData("")]
    [InlineData("?status=Failed&type=e2e.note&queue=alpha&q=O%27Brien")]
    [InlineData("?view=Retrying&sort=runat&dir=asc&size=100&page=3")]
    [InlineData("?view=Scheduled&sort=priority&dir=desc")]
    [InlineData("?sort=id&dir=asc&size=1000")]
    [InlineData("?sort=claim&dir=asc")]
    public void Href_OfAParsedQuery_ParsesBackToTheSameQuery(string url)
    {
        var query = JobsListQuery.Parse(url, 25);

        Assert.Equal(query, JobsListQuery.Parse(query.Href()["jobs".Length..], 25));
    }

    [Fact]
    public void Parse_OldCombinedSortKey_ReadsSortAndDirection()
    {
        var query = JobsListQuery.Parse("?sort=runat-desc", 25);

        Assert.Equal((JobSort.RunAt, true), (query.Sort, query.Descending));
        Assert.Equal("jobs?sort=runat&dir=desc", query.Href());
    }

    [Theory]
    [InlineData("?size=7", 25)]
    [InlineData("?size=abc", 25)]
    [InlineData("?size=25", 25)]
    [InlineData("?size=500", 500)]
    public void Parse_PageSize_OnlyOfferedSizesElseTheDefault(string url, int size)
        => Assert.Equal(size, JobsListQuery.Parse(url, 25).Size);

    [Fact]
    public void SortedBy_SameColumn_TurnsTheOrderRoundOtherColumnTakesItsUsualOrder()
    {
        var query = JobsListQuery.Parse("?page=4", 25);

        var byRunAt = query.SortedBy(JobSort.RunAt);
        Assert.Equal((JobSort.RunAt, false, 1), (byRunAt.Sort, byRunAt.Descending, byRunAt.Page));
        Assert.True(byRunAt.SortedBy(JobSort.RunAt).Descending);
        Assert.False(query.SortedBy(JobSort.Id).Descending); // Newest first already: a click shows oldest first.
        Assert.True(byRunAt.SortedBy(JobSort.Priority).Descending);
    }

    [Fact]
    public void Filter_Views_AskForQueuedJobsDueLaterOrAfterAnAttempt()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var scheduled = JobsListQuery.Parse("?view=Scheduled&status=Failed", 25).Filter(now, 10_000);
        var retrying = JobsListQuery.Parse("?view=Retrying", 25).Filter(now, 10_000);

        Assert.Equal((JobStatus.Queued, now, (int?)null), (scheduled.Status, scheduled.RunAtAfter, scheduled.MinAttempt));
        Assert.Equal((JobStatus.Queued, (DateTimeOffset?)null, 1), (retrying.Status, retrying.RunAtAfter, retrying.MinAttempt));
    }
}
