using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Faults;

/// <summary>Whatever a handler throws or reports is stored on every provider, and the pool goes on.</summary>
public sealed class StoredOutcomeTests
{
    private static IJobsBuilder Fine(IJobsBuilder b) => b.AddJobType("fine", _ => Task.CompletedTask);

    [Theory, AllProviders]
    public async Task Handler_ThrowsMessageWithNul_FailsWithReplacementCharacterAndNextFourJobsRun(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => Fine(b)
            .AddJobType("nul", _ => throw new InvalidOperationException("a\0b"), t => t.MaxRetries = 0));

        var bad = await jobs.Client.ScheduleAsync("nul", new JobScheduleOptions { Priority = 1 });
        var next = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 4).Select(_ => JobRequest.Create("fine")));

        await Eventually.StatusAsync(bad, JobStatus.Failed);
        foreach (var job in next)
        {
            await Eventually.StatusAsync(job, JobStatus.Finished);
        }

        Assert.Equal(typeof(InvalidOperationException).FullName, bad.LastError!.Type);
        Assert.Equal("a\uFFFDb", bad.LastError.Message);
        Assert.Contains("a\uFFFDb", bad.LastError.StackTrace, StringComparison.Ordinal);
        var failed = Assert.Single(await bad.GetHistoryAsync(), e => e.Error is not null);
        Assert.Equal(JobEventKind.Failed, failed.Kind);
        Assert.Equal("a\uFFFDb", failed.Error!.Message);
    }

    [Theory, AllProviders]
    public async Task Handler_ThrowsMessageWithUnpairedSurrogate_FailsWithReplacementCharacter(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => Fine(b)
            .AddJobType("surrogate", _ => throw new InvalidOperationException("half a pair: \uD83D, a pair: \U0001F600"), t => t.MaxRetries = 0));

        var bad = await jobs.Client.ScheduleAsync("surrogate");
        var fine = await jobs.Client.ScheduleAsync("fine");

        await Eventually.StatusAsync(bad, JobStatus.Failed);
        await Eventually.StatusAsync(fine, JobStatus.Finished);
        Assert.Equal("half a pair: \uFFFD, a pair: \U0001F600", bad.LastError!.Message);
        Assert.Equal("half a pair: \uFFFD, a pair: \U0001F600", Assert.Single(await bad.GetHistoryAsync(), e => e.Error is not null).Error!.Message);
    }

    [Theory, AllProviders]
    public async Task Handler_ThrowsExceptionWhoseTypeNameIsOver500Chars_FailsWithTypeCutToColumn(string provider)
    {
        var fullName = DeepGeneric.Create("").GetType().FullName!;
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => Fine(b)
            .AddJobType("generic", _ => throw DeepGeneric.Create("deeply generic"), t => t.MaxRetries = 0));

        var bad = await jobs.Client.ScheduleAsync("generic");
        var fine = await jobs.Client.ScheduleAsync("fine");

        await Eventually.StatusAsync(bad, JobStatus.Failed);
        await Eventually.StatusAsync(fine, JobStatus.Finished);
        Assert.True(fullName.Length > 500, $"type name of {fullName.Length} chars");
        TextAssert.CutWithMarker(fullName, bad.LastError!.Type, StoredText.ErrorTypeMax);
        Assert.Equal("deeply generic", bad.LastError.Message);
        var failed = Assert.Single(await bad.GetHistoryAsync(), e => e.Error is not null);
        Assert.Equal(bad.LastError.Type, failed.Error!.Type);
    }

    [Theory, AllProviders]
    public async Task ReportProgressAsync_MessageWithNul_StoredWithReplacementCharacter(string provider)
    {
        var reported = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("progress", async ctx =>
        {
            await ctx.ReportProgressAsync(50, "half\0way");
            reported.SetResult();
            await release.Task.WaitAsync(ctx.CancellationToken);
        }));

        var job = await jobs.Client.ScheduleAsync("progress");
        await reported.Task.WaitAsync(Eventually.DefaultTimeout);

        // The first report is written at once (while the job runs); the last one again with the outcome.
        await job.RefreshAsync();
        Assert.Equal(JobStatus.Executing, job.Status);
        Assert.Equal("half\uFFFDway", job.ProgressMessage);
        release.SetResult();
        await Eventually.StatusAsync(job, JobStatus.Finished);
        Assert.Equal(50, job.ProgressPercent);
        Assert.Equal("half\uFFFDway", job.ProgressMessage);
        Assert.Contains((await job.GetHistoryAsync()), e => e.Kind == JobEventKind.Progress && e.Message == "50% half\uFFFDway");
    }

    [Theory, AllProviders]
    public async Task ReportProgressAsync_MessageOver500CharsEndingInHalfPair_StoredCutWithMarker(string provider)
    {
        var message = new string('p', 600) + "\uD83D";
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("progress", async ctx =>
            await ctx.ReportProgressAsync(10, message)));

        var job = await jobs.Client.ScheduleAsync("progress");

        await Eventually.StatusAsync(job, JobStatus.Finished);
        TextAssert.CutWithMarker(message, job.ProgressMessage!, StoredText.ProgressMessageMax);
    }

    [Theory, AllProviders]
    public async Task Handler_ThrowsFiveMegabyteMessage_StoredCappedOncePerAttemptAndLoggedCapped(string provider)
    {
        var huge = new string('m', 5 * 1024 * 1024);
        var logs = new CapturingLoggerProvider();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => Fine(b)
            .AddJobType("huge", _ => throw new InvalidOperationException(huge), t =>
            {
                t.MaxRetries = 1;
                t.Backoff.BaseDelay = TimeSpan.Zero;
            }),
            extra: s => s.AddLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Information)));

        var bad = await jobs.Client.ScheduleAsync("huge");
        await Eventually.StatusAsync(bad, JobStatus.Failed);
        var fine = await jobs.Client.ScheduleAsync("fine");
        await Eventually.StatusAsync(fine, JobStatus.Finished);

        // Each attempt's event keeps the error, cut at the history limits; the job row keeps a short copy of the last one.
        var errors = (await bad.GetHistoryAsync()).Where(e => e.Error is not null).ToList();
        Assert.Equal([JobEventKind.RetryScheduled, JobEventKind.Failed], errors.Select(e => e.Kind));
        foreach (var e in errors)
        {
            TextAssert.CutWithMarker(huge, e.Error!.Message, StoredText.ErrorMessageMax);
            Assert.True(e.Error.StackTrace.Length <= StoredText.ErrorTextMax, $"event text of {e.Error.StackTrace.Length} chars");
            Assert.Contains("at ", e.Error.StackTrace, StringComparison.Ordinal);
        }

        TextAssert.CutWithMarker(huge, bad.LastError!.Message, StoredText.BriefMessageMax);
        Assert.True(bad.LastError.StackTrace.Length <= StoredText.BriefTextMax, $"job row text of {bad.LastError.StackTrace.Length} chars");

        var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (db)
        {
            var onRow = await db.Jobs.Where(j => j.Id == bad.Id).Select(j => j.LastErrorMessage!.Length + j.LastErrorStackTrace!.Length).SingleAsync();
            var inEvents = await db.JobEvents.Where(e => e.JobId == bad.Id && e.ErrorType != null)
                .Select(e => e.ErrorMessage!.Length + e.ErrorStackTrace!.Length).ToListAsync();
            Assert.Equal(2, inEvents.Count);
            Assert.True(onRow + inEvents.Sum() <= StoredText.BriefMessageMax + StoredText.BriefTextMax + 2 * (StoredText.ErrorMessageMax + StoredText.ErrorTextMax),
                $"{onRow} chars on the row, {string.Join(" + ", inEvents)} in events");
        }

        var entries = logs.Entries.ToList();
        Assert.Contains(entries, e => e.Id.Id == 2002 && e.Text.Contains("… [truncated", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Id.Id == 2003 && e.Text.Contains("… [truncated", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.True(e.Text.Length <= 12_000, $"log {e.Id} of {e.Text.Length} chars"));
        Assert.All(entries, e => Assert.NotSame(huge, e.Exception?.Message));
    }

    [Theory, AllProviders]
    public async Task Handler_ThrowsExceptionsWithHostileGetters_EachFailsWithReadablePartsAndPoolGoesOn(string provider)
    {
        var hostile = new (string Type, Func<Exception> Create, string Message, string InText)[]
        {
            ("message", () => new HostileExceptions.MessageThrows(), "<Message threw InvalidOperationException>", "<Message threw InvalidOperationException>"),
            ("stack", () => new HostileExceptions.StackTraceThrows(), "the stack trace getter throws", "<StackTrace threw NotSupportedException>"),
            ("to-string", () => new HostileExceptions.ToStringThrows(), "the ToString override throws", "the ToString override throws"),
            ("data", () => new HostileExceptions.DataThrows(), "the Data getter throws", "the Data getter throws"),
            ("cycle", HostileExceptions.Cycle, "outer", "the chain of inner exceptions is a cycle"),
            ("deep", () => HostileExceptions.Deep(10_000), "level 9999", "not shown: more than 16 levels"),
            ("aggregate", HostileExceptions.AggregateWithHostileChild, "<Message threw InvalidOperationException>", "(Inner Exception #0) System.TimeoutException: first child"),
        };
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b =>
        {
            Fine(b);
            foreach (var h in hostile)
            {
                b.AddJobType(h.Type, _ => throw h.Create(), t => t.MaxRetries = 0);
            }
        });

        var bad = await jobs.Client.ScheduleManyAsync(hostile.Select(h => JobRequest.Create(h.Type, new JobScheduleOptions { Priority = 1 })));
        var fine = await jobs.Client.ScheduleManyAsync(Enumerable.Range(0, 4).Select(_ => JobRequest.Create("fine")));

        foreach (var job in fine)
        {
            await Eventually.StatusAsync(job, JobStatus.Finished);
        }

        for (var i = 0; i < hostile.Length; i++)
        {
            await Eventually.StatusAsync(bad[i], JobStatus.Failed);
            var error = bad[i].LastError!;
            Assert.Equal(hostile[i].Message, error.Message);
            Assert.Contains(hostile[i].InText, error.StackTrace, StringComparison.Ordinal);
            var failed = Assert.Single(await bad[i].GetHistoryAsync(), e => e.Error is not null).Error!;
            Assert.Equal(error.Type, failed.Type);
            Assert.Equal(hostile[i].Message, failed.Message);
        }

        Assert.True(jobs.Pool.IsRunning);
        var after = await jobs.Client.ScheduleAsync("fine");
        await Eventually.StatusAsync(after, JobStatus.Finished);
    }
}
