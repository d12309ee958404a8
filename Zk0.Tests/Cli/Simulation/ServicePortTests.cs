using System.Net;
using System.Net.Sockets;
using Zk0.Cli.Simulation;

namespace Zk0.Tests.Cli.Simulation;

public sealed class ServicePortTests
{
    [Fact]
    public void Ports_are_free_distinct_and_below_the_range_outgoing_connections_draw_from()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => ServicePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.All(ports, p => Assert.InRange(p, 10_000, int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture) - 1));
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }
}
