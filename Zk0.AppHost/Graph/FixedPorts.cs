using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Zk0.AppHost.Graph;

/// <summary>
/// The ports a local graph must own: endpoints declared with a fixed port (the gateway's 5180 that
/// node operators point at) and the dashboard's. DCP's proxy would otherwise share a port held by
/// another process on one of the loopback addresses and the graph would look healthy while half
/// the connections reach the other process; so a taken port stops the start with a clear message.
/// </summary>
public static class FixedPorts
{
    private static readonly string[] DashboardSettings =
        ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    /// <summary>Each taken port with what it is for, and how to free it; empty when the graph can start.</summary>
    public static IReadOnlyList<string> FindTaken(IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode) return [];
        var wanted = new List<(int Port, string Purpose)>();
        if (!builder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
        {
            foreach (var resource in builder.Resources)
                foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
                    if (endpoint.Port is > 0 and var port && endpoint.IsProxied)
                        wanted.Add((port, $"{resource.Name}'s {endpoint.Name} endpoint"));
        }
        if (!builder.Configuration.GetValue<bool>("DOTNET_DASHBOARD_DISABLED") && !builder.Configuration.GetValue<bool>("ASPIRE_DASHBOARD_DISABLED"))
        {
            foreach (var setting in DashboardSettings)
                foreach (var url in (builder.Configuration[setting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                    if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0)
                        wanted.Add((uri.Port, $"the Aspire dashboard ({setting})"));
        }

        return wanted.Where(w => IsTaken(w.Port))
            .Select(w => $"port {w.Port} ({w.Purpose}) is already in use, perhaps by another Zk0 AppHost. " +
                         $"Stop what holds it (`ss -ltnp 'sport = :{w.Port}'` names it) or start with --random-ports.")
            .ToList();
    }

    private static bool IsTaken(int port) => !CanListen(IPAddress.Loopback, port) || (Socket.OSSupportsIPv6 && !CanListen(IPAddress.IPv6Loopback, port));

    private static bool CanListen(IPAddress address, int port)
    {
        try
        {
            using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // e.g. IPv6 loopback not configured on this machine: nothing can hold it either
        }
    }
}
