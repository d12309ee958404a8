using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Zk0.Tests.Gateway.Tls;

/// <summary>
/// The Gateway as its Program.cs builds it (own appsettings.json, routes, TLS options) in front of a SuperLink stand-in,
/// on a port picked here (picked again when another process took it first). Log lines are kept for assertions.
/// </summary>
public sealed class TlsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsGateway(WebApplication app, int port, ConcurrentQueue<string> logs) => (_app, Port, Logs) = (app, port, logs);

    public int Port { get; }

    public ConcurrentQueue<string> Logs { get; }

    /// <param name="grpcUrl">The grpc endpoint's URL with {port} for the port, as configuration or Aspire would give it.</param>
    public static async Task<TlsGateway> StartAsync(Uri superlink, string grpcUrl, IReadOnlyDictionary<string, string?> settings)
    {
        var logs = new ConcurrentQueue<string>();
        var (app, grpcPort, _) = await InProcessGateway.StartAsync(
            (grpc, http) => new Dictionary<string, string?>(settings)
            {
                ["Kestrel:Endpoints:grpc:Url"] = grpcUrl.Replace("{port}", grpc.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
                ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{http}",
                ["services:superlink:grpc:0"] = superlink.ToString(),
            },
            builder => builder.Logging.AddProvider(new QueueLoggerProvider(logs)));
        return new TlsGateway(app, grpcPort, logs);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
    }
}
