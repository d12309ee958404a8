using System.Net;
using System.Net.Sockets;

namespace Zk0.AppHost.Hosting;

/// <summary>Finds free loopback ports by binding port 0 and releasing it, as DCP does for target ports.</summary>
public static class PortAllocator
{
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
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
}
