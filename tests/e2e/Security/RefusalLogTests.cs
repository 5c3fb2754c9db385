using System.Collections.Concurrent;
using System.Net;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Jobs.E2E.Security.SecurityRequests;

namespace Jobs.E2E.Security;

/// <summary>A refused request is logged with the rule that refused it and the value that broke it, not as "a request from 127.0.0.1".</summary>
[Collection(DashboardTests.Name)]
public sealed class RefusalLogTests
{
    [Fact]
    public async Task Refusals_LogTheRuleAndTheOffendingValue()
    {
        var logs = new CapturedLogs();
        await using var server = new DashboardServer(services: s => s.AddSingleton<ILoggerProvider>(logs));

        using var proxied = await SendAsync(server, "jobs/", ("X-Forwarded-For", "198.51.100.4"));
        using var rebound = await SendAsync(server, "jobs/", ("Host", "evil.example"));
        using var foreign = await SendAsync(server, "jobs/hub/negotiate?negotiateVersion=1", ("Origin", Evil));

        Assert.All([proxied, rebound, foreign], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Contains("X-Forwarded-For", await proxied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forwarded = Assert.Single(logs.Entries, e => e.EventId == 5006);
        Assert.Contains("X-Forwarded-For", forwarded.Message, StringComparison.Ordinal);
        Assert.Contains("198.51.100.4", forwarded.Message, StringComparison.Ordinal);
        Assert.Contains("evil.example", Assert.Single(logs.Entries, e => e.EventId == 5007).Message, StringComparison.Ordinal);
        Assert.Contains(Evil, Assert.Single(logs.Entries, e => e.EventId == 5008).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 5005); // Every request came from 127.0.0.1: not what refused them.
    }

    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(int EventId, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id is >= 5005 and < 5100)
            {
                Entries.Enqueue((eventId.Id, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }
}
