using System.Net.Sockets;
using System.Reflection;
using Jobs.Dashboard;
using Jobs.Dashboard.Live;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Dashboard;

/// <summary>The live feed's log while it cannot read: one line per back-off step when the database is away, the exception at
/// Debug; a failure that did not come from the database keeps its stack.</summary>
public sealed class DashboardEventFeedTests
{
    private const int FeedFailed = 5000;
    private const int FeedRetrying = 5011;
    private const int FeedFailureDetail = 5012;

    [Fact]
    public async Task ExecuteAsync_DatabaseUnreachable_OneStackFreeWarningPerBackoffStepAndTheExceptionAtDebug()
    {
        var logs = await RunFeedAsync(() => new InvalidOperationException("likely transient", new SocketException((int)SocketError.ConnectionRefused)), 3);

        var warnings = logs.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.All(warnings, w =>
        {
            Assert.Equal(FeedRetrying, w.Id.Id);
            Assert.Null(w.Exception);
            Assert.Contains("(Connection refused)", w.Text, StringComparison.Ordinal);
        });
        Assert.EndsWith("retrying in 00:00:00.2500000", warnings[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("retrying in 00:00:00.5000000", warnings[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("retrying in 00:00:01", warnings[2].Text, StringComparison.Ordinal);
        Assert.True(logs.Count(e => e.Id.Id == FeedFailureDetail && e.Level == LogLevel.Debug && e.Exception is SocketException or { InnerException: SocketException }) >= warnings.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FailureNotFromTheDatabase_WarningWithTheException()
    {
        var logs = await RunFeedAsync(() => new InvalidOperationException("a bug"), 1);

        var warning = logs.First(e => e.Level == LogLevel.Warning);
        Assert.Equal(FeedFailed, warning.Id.Id);
        Assert.Equal("a bug", warning.Exception?.Message);
        Assert.DoesNotContain(logs, e => e.Id.Id == FeedRetrying);
    }

    /// <summary>Runs the feed over a monitor whose every read throws, moving the fake clock until it has logged
    /// <paramref name="warnings"/> warnings, and returns what it logged.</summary>
    private static async Task<List<(EventId Id, string Text, Exception? Exception, LogLevel Level)>> RunFeedAsync(Func<Exception> failure, int warnings)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var monitor = DispatchProxy.Create<IJobMonitor, ThrowingMonitor>();
        ((ThrowingMonitor)(object)monitor).Failure = failure;
        var options = Options.Create(new JobsDashboardOptions());
        using var feed = new DashboardEventFeed(monitor, new DashboardEvents(), new ThroughputTracker(options, time),
            new LiveFeedStatus(time, NullLogger<LiveFeedStatus>.Instance), options, time, factory.CreateLogger<DashboardEventFeed>());

        await feed.StartAsync(CancellationToken.None);
        try
        {
            // Each retry waits on the fake clock; moving it in small steps fires whichever wait is armed, whenever it is.
            await Eventually.TrueAsync(() =>
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                return Task.FromResult(logs.Entries.Count(e => e.Level == LogLevel.Warning) >= warnings);
            }, $"{warnings} warnings of the feed");
        }
        finally
        {
            await feed.StopAsync(CancellationToken.None);
        }

        return [.. logs.Entries];
    }

    /// <summary>An <see cref="IJobMonitor"/> whose every call throws what <see cref="Failure"/> makes.</summary>
    public class ThrowingMonitor : DispatchProxy
    {
        public Func<Exception> Failure { get; set; } = () => new InvalidOperationException();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw Failure();
    }
}
