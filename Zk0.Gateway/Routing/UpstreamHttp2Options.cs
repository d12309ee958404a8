namespace Zk0.Gateway.Routing;

/// <summary>
/// HTTP/2 flow control of the gateway's connections to the SuperLink (section <c>Gateway:Upstream</c>). .NET's client
/// starts each stream with a 64 KiB receive window and grows it from measured round trips, which on a fast link barely
/// happens: a model download then waits for a window update every 64 KiB.
/// </summary>
public sealed class UpstreamHttp2Options
{
    public const string Section = "Gateway:Upstream";

    public int InitialStreamWindowBytes { get; set; } = 1 << 20;
}
