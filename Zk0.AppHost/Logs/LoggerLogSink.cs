using Microsoft.Extensions.Logging;

namespace Zk0.AppHost.Logs;

/// <summary>
/// Forwards resource output to <see cref="ILogger"/> under category
/// <c>Zk0.AppHost.Resources.{resource}</c>, stdout as Information and stderr as Error, like
/// Aspire.Hosting.Testing's resource logging.
/// </summary>
public sealed class LoggerLogSink(ILoggerFactory loggerFactory) : IResourceLogSink
{
    public void Write(string resource, string instance, string line, bool isError)
    {
        var logger = loggerFactory.CreateLogger($"Zk0.AppHost.Resources.{resource}");
#pragma warning disable CA1848, CA2254 // resource output is already formatted text
        if (isError) logger.LogError("[{Instance}] {Line}", instance, line);
        else logger.LogInformation("[{Instance}] {Line}", instance, line);
#pragma warning restore CA1848, CA2254
    }
}
