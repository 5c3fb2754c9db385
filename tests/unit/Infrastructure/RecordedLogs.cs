using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Infrastructure;

/// <summary>Keeps every log entry written through it, so a test can wait for the engine to say something.</summary>
internal sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    public bool Has(int eventId) => _entries.Any(e => e.Id.Id == eventId);

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => logs._entries.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
