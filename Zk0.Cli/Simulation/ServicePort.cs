using System.Net;
using System.Net.Sockets;

namespace Zk0.Cli.Simulation;

/// <summary>
/// Loopback ports for the services a bench or drill starts, and starts again at the same address after a kill. Taken below
/// the kernel's ephemeral range: a port from that range (what binding port 0 gives) can be handed to any outgoing
/// connection between the check and the service's bind, or while a killed service is down, and the service then fails with
/// "address already in use" (a drill did, once, in CI).
/// </summary>
public static class ServicePort
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        var (ephemeralLow, _) = EphemeralRange();
        if (ephemeralLow - Lowest >= 1_000)
        {
            lock (Given)
            {
                for (var attempt = 0; attempt < 200; attempt++)
                {
                    var port = Random.Shared.Next(Lowest, ephemeralLow);
                    if (!Given.Contains(port) && IsFree(port))
                    {
                        Given.Add(port);
                        return port;
                    }
                }
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Linux's <c>ip_local_port_range</c>; elsewhere the IANA range.</summary>
    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (49_152, 65_535);
        }
    }
}
