using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Zk0.Cli.Nodes;

/// <summary>
/// The node's warnings and errors, collected for the status line to print above itself (instead of a logger's own console
/// output). Critical ones end the node, and <c>zk0 node start</c> prints the reason once as its last line.
/// </summary>
public sealed class NodeMessages : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public bool TryTake(out string line) => _lines.TryDequeue(out line!);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel is LogLevel.Warning or LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) _lines.Enqueue($"{(logLevel >= LogLevel.Error ? "error" : "warning")}: {formatter(state, exception)}");
    }

    public void Dispose()
    {
    }
}
