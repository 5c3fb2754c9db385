using System.Collections.Concurrent;
using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

public sealed class JobExecutorTests
{
    internal sealed record Counter(int Count);

    internal sealed class ScopedDependency
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    internal sealed class RecordingHandler(ScopedDependency dependency, ConcurrentBag<(long JobId, int Attempt, int Count, Guid Scope)> seen) : IJobHandler<Counter>
    {
        public Task ExecuteAsync(Counter args, JobContext context)
        {
            Assert.Same(dependency, context.Services.GetRequiredService<ScopedDependency>());
            seen.Add((context.JobId, context.Attempt, args.Count, dependency.Id));
            return Task.CompletedTask;
        }
    }

    [Theory, AllProviders]
    public async Task Handler_AlwaysThrows_RunsMaxRetriesPlusOneTimesThenFailsKeepingEveryError(string provider)
    {
        var attempts = new ConcurrentBag<int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("boom", ctx =>
        {
            attempts.Add(ctx.Attempt);
            return ThrowingHandler.FailAsync(ctx.Attempt);
        }, t =>
        {
            t.MaxRetries = 2;
            t.Backoff.BaseDelay = TimeSpan.FromMilliseconds(100);
            t.Backoff.Factor = 2;
            t.Backoff.Jitter = 0.2;
        }));

        var job = await jobs.Client.ScheduleAsync("boom");
        await Eventually.StatusAsync(job, JobStatus.Failed);

        Assert.Equal([1, 2, 3], attempts.Order());
        Assert.Equal(3, job.Attempt);
        Assert.Equal(0, job.RetriesLeft);
        Assert.Equal(typeof(InvalidOperationException).FullName, job.LastError!.Type);
        Assert.Equal("boom on attempt 3", job.LastError.Message);
        Assert.Contains(nameof(ThrowingHandler.FailAsync), job.LastError.StackTrace, StringComparison.Ordinal);

        var history = await job.GetHistoryAsync();
        var errors = history.Where(e => e.Error is not null).ToList();
        Assert.Equal([JobEventKind.RetryScheduled, JobEventKind.RetryScheduled, JobEventKind.Failed], errors.Select(e => e.Kind));
        Assert.Equal(["boom on attempt 1", "boom on attempt 2", "boom on attempt 3"], errors.Select(e => e.Error!.Message));
        Assert.All(errors, e => Assert.Contains(nameof(ThrowingHandler.FailAsync), e.Error!.StackTrace, StringComparison.Ordinal));

        // Exponential backoff with 20% jitter: the wait before attempt n+1 is at least 0.8 * 100 ms * 2^(n-1).
        var failedAt = errors.Take(2).Select(e => e.At).ToList();
        var startedAt = history.Where(e => e.Kind == JobEventKind.Started).Select(e => e.At).ToList();
        Assert.True(startedAt[1] - failedAt[0] >= TimeSpan.FromMilliseconds(80), $"first retry after {startedAt[1] - failedAt[0]}");
        Assert.True(startedAt[2] - failedAt[1] >= TimeSpan.FromMilliseconds(160), $"second retry after {startedAt[2] - failedAt[1]}");
    }

    [Theory, AllProviders]
    public async Task Handler_ThrowsThenSucceeds_FinishesOnSecondAttempt(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("flaky", ctx =>
            ctx.Attempt == 1 ? throw new TimeoutException("transient") : Task.CompletedTask, t => t.Backoff.BaseDelay = TimeSpan.Zero));

        var job = await jobs.Client.ScheduleAsync("flaky");
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.Equal(2, job.Attempt);
        Assert.Equal("transient", job.LastError!.Message);
        Assert.Equal(2, job.RetriesLeft);
    }

    [Theory, AllProviders]
    public async Task Handler_ExceedsTimeout_TokenCancelledAndAttemptFailsWithTimeoutError(string provider)
    {
        var cancelledAttempts = new ConcurrentBag<int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("slow", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelledAttempts.Add(ctx.Attempt);
                throw;
            }
        }, t =>
        {
            t.Timeout = TimeSpan.FromMilliseconds(200);
            t.MaxRetries = 1;
            t.Backoff.BaseDelay = TimeSpan.Zero;
        }));

        var job = await jobs.Client.ScheduleAsync("slow");
        await Eventually.StatusAsync(job, JobStatus.Failed);

        Assert.Equal([1, 2], cancelledAttempts.Order());
        Assert.EndsWith("JobTimeoutException", job.LastError!.Type, StringComparison.Ordinal);
        Assert.Contains("timed out after 00:00:00.2000000 on attempt 2", job.LastError.Message, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Handler_PayloadNoLongerDeserializes_FailsOnceWithoutRetriesAndPoolGoesOn(string provider)
    {
        var ran = new ConcurrentBag<int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Counter>("count", (a, _) =>
        {
            ran.Add(a.Count);
            return Task.CompletedTask;
        }, t => t.MaxRetries = 5), startPool: false);
        var broken = await jobs.Client.ScheduleAsync("count", new Counter(1), new JobScheduleOptions { Priority = 1 });
        var healthy = await jobs.Client.ScheduleAsync("count", new Counter(2));
        var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (db)
        {
            await db.Jobs.Where(j => j.Id == broken.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Payload, "{\"count\":\"not a number\"}"));
        }

        await jobs.Pool.StartAsync();
        await Eventually.StatusAsync(healthy, JobStatus.Finished);
        await Eventually.StatusAsync(broken, JobStatus.Failed);

        Assert.Equal([2], ran);
        Assert.Equal(1, broken.Attempt);
        Assert.EndsWith("JobPayloadException", broken.LastError!.Type, StringComparison.Ordinal);
        Assert.Contains($"payload of job {broken.Id} (count) could not be read as {typeof(Counter).FullName}", broken.LastError.Message, StringComparison.Ordinal);
        Assert.True(jobs.Pool.IsRunning);
    }

    [Theory, AllProviders]
    public async Task Handler_DiClass_ResolvedInNewScopePerAttemptWithArgsAndContext(string provider)
    {
        var seen = new ConcurrentBag<(long JobId, int Attempt, int Count, Guid Scope)>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b =>
        {
            b.Services.AddScoped<ScopedDependency>();
            b.Services.AddSingleton(seen);
            b.AddJobType<Counter, RecordingHandler>("di");
        });

        var first = await jobs.Client.ScheduleAsync("di", new Counter(41));
        var second = await jobs.Client.ScheduleAsync("di", new Counter(42));
        await Eventually.StatusAsync(first, JobStatus.Finished);
        await Eventually.StatusAsync(second, JobStatus.Finished);

        Assert.Equal(2, seen.Count);
        Assert.Contains(seen, s => s.JobId == first.Id && s.Attempt == 1 && s.Count == 41);
        Assert.Contains(seen, s => s.JobId == second.Id && s.Attempt == 1 && s.Count == 42);
        Assert.Equal(2, seen.Select(s => s.Scope).Distinct().Count());
    }

    [Theory, AllProviders]
    public async Task ReportProgressAsync_ManyReports_ThrottledWritesAndLastValueKept(string provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType("progress", async ctx =>
        {
            for (var i = 0; i <= 100; i++)
            {
                await ctx.ReportProgressAsync(i, $"step {i}");
            }

            await gate.Task;
        }), o => o.ProgressWriteInterval = TimeSpan.FromMinutes(1));

        var job = await jobs.Client.ScheduleAsync("progress");
        await Eventually.TrueAsync(async () =>
        {
            await job.RefreshAsync();
            return job.ProgressPercent is not null;
        }, "first progress stored while executing");
        Assert.Equal(JobStatus.Executing, job.Status);
        Assert.Equal(0, job.ProgressPercent);
        gate.SetResult();
        await Eventually.StatusAsync(job, JobStatus.Finished);

        Assert.Equal(100, job.ProgressPercent);
        Assert.Equal("step 100", job.ProgressMessage);
        Assert.Single(await job.GetHistoryAsync(), e => e.Kind == JobEventKind.Progress);
    }

    [Fact]
    public async Task ReportProgressAsync_PercentOutOfRange_Throws()
    {
        var error = new TaskCompletionSource<Exception?>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync("sqlite"), b => b.AddJobType("bad-progress", async ctx =>
        {
            try
            {
                await ctx.ReportProgressAsync(101);
                error.SetResult(null);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                error.SetResult(ex);
            }
        }));

        await jobs.Client.ScheduleAsync("bad-progress");

        Assert.IsType<ArgumentOutOfRangeException>(await error.Task.WaitAsync(Eventually.DefaultTimeout));
    }

    private static class ThrowingHandler
    {
        public static Task FailAsync(int attempt) => throw new InvalidOperationException($"boom on attempt {attempt}");
    }
}
