using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Infrastructure;

/// <summary>Keeps every formatted log line, so a test can see what the engine would hand a real sink.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, string Text, Exception? Exception, LogLevel Level)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue((eventId, formatter(state, exception), exception, logLevel));
    }
}
