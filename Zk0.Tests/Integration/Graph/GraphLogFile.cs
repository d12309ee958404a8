using Microsoft.Extensions.Logging;

namespace Zk0.Tests.Integration.Graph;

/// <summary>
/// Every log line of a test graph (the AppHost's and, forwarded by Aspire's testing host, each resource's console)
/// in one file under the test output's graph-logs/, so a failing whole-graph test can be read after the fact.
/// </summary>
public sealed class GraphLogFile : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public GraphLogFile(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "graph-logs"));
        FilePath = Path.Combine(directory.FullName, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        _writer = new StreamWriter(FilePath) { AutoFlush = true };
    }

    public string FilePath { get; }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-11} {category}: {message}");
                if (exception is not null) _writer.WriteLine(exception);
            }
            catch (ObjectDisposedException)
            {
                // A resource can still log while the graph stops after the test ended.
            }
        }
    }

    private sealed class Logger(GraphLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) file.Write(category, logLevel, formatter(state, exception), exception);
        }
    }
}
