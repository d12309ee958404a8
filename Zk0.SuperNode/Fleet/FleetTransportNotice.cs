namespace Zk0.SuperNode.Fleet;

/// <summary>Says at start when the node talks plain h2c to the Fleet API.</summary>
public sealed partial class FleetTransportNotice(FleetTransport transport, ILogger<FleetTransportNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport.Warning is { } warning) LogPlaintext(warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet address {Warning}")]
    private partial void LogPlaintext(string warning);
}
