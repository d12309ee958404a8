using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Simulation;

/// <summary>
/// What a federation is made of: a gateway in front or not, SuperLink replicas sharing one Garnet and one blob folder,
/// and configuration overrides for the SuperLinks (<c>SuperLink:NodeLease</c> …) and Garnet (<c>Garnet:DataDirectory</c> …).
/// </summary>
public sealed record FederationLayout(bool WithGateway, IReadOnlyDictionary<string, string>? SuperLinkSettings = null,
    IReadOnlyDictionary<string, string>? GarnetSettings = null, int SuperLinkReplicas = 1);

/// <summary>
/// A federation's server side for one bench or drill: Garnet, the SuperLink replicas and (optionally) the gateway, each its
/// own process on loopback, state in Garnet and blobs under the work directory. Nodes are the caller's to simulate. A drill
/// acts as the supervisor: it kills a service with <see cref="ServiceProcess.KillHard"/> and starts it again at its address.
/// </summary>
public sealed class BenchFederation : IDisposable
{
    private readonly List<ServiceProcess> _services = [];
    private readonly List<ServiceProcess> _superLinks = [];
    private readonly List<string> _superLinkAddresses = [];

    private BenchFederation(string directory) => Directory = directory;

    public string Directory { get; }
    public string BlobDirectory => Path.Combine(Directory, "blobs");
    public ServiceProcess Garnet { get; private set; } = null!;
    public int RedisPort { get; private set; }
    /// <summary>The first SuperLink replica.</summary>
    public ServiceProcess SuperLink => _superLinks[0];
    public string SuperLinkAddress => _superLinkAddresses[0];
    public IReadOnlyList<ServiceProcess> SuperLinks => _superLinks;
    public IReadOnlyList<string> SuperLinkAddresses => _superLinkAddresses;
    /// <summary>Where nodes connect: the gateway when there is one, else the first SuperLink.</summary>
    public string FleetAddress { get; private set; } = "";

    /// <param name="superLinkSettings">SuperLink configuration overrides (<c>SuperLink:NodeLease</c> …).</param>
    public static Task<BenchFederation> StartAsync(string directory, bool withGateway, IReadOnlyDictionary<string, string>? superLinkSettings, CancellationToken ct) =>
        StartAsync(directory, new FederationLayout(withGateway, superLinkSettings), ct);

    public static async Task<BenchFederation> StartAsync(string directory, FederationLayout layout, CancellationToken ct)
    {
        var federation = new BenchFederation(directory);
        try
        {
            await federation.StartServicesAsync(layout, ct);
            return federation;
        }
        catch
        {
            federation.Dispose();
            throw;
        }
    }

    /// <summary>A channel as nodes have one, usable for many concurrent calls (several HTTP/2 connections when one's stream limit is reached).</summary>
    public static GrpcChannel Channel(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    });

    /// <summary>Kills SuperLink replica <paramref name="replica"/> with SIGKILL, as a crash would.</summary>
    public void KillSuperLink(int replica) => _superLinks[replica].KillHard();

    /// <summary>Starts replica <paramref name="replica"/> again at its address (after <see cref="KillSuperLink"/>) and waits until it serves.</summary>
    public async Task RestartSuperLinkAsync(int replica, CancellationToken ct)
    {
        _superLinks[replica].KillHard();
        _superLinks[replica] = Replace(_superLinks[replica], _superLinks[replica].StartAgain());
        await WaitUntilServingAsync(_superLinks[replica], _superLinkAddresses[replica], ct);
    }

    public void KillGarnet() => Garnet.KillHard();

    /// <summary>Starts Garnet again on its port, with its settings (its data folder, when it has one), and waits until it accepts connections.</summary>
    public async Task RestartGarnetAsync(CancellationToken ct)
    {
        Garnet.KillHard();
        Garnet = Replace(Garnet, Garnet.StartAgain());
        await WaitUntilListeningAsync(Garnet, RedisPort, ct);
    }

    public void Dispose()
    {
        foreach (var service in Enumerable.Reverse(_services)) service.Dispose();
    }

    private async Task StartServicesAsync(FederationLayout layout, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(BlobDirectory);
        RedisPort = ServicePort.Next();
        var garnet = new Dictionary<string, string>
        {
            ["Garnet:Port"] = $"{RedisPort}",
            ["Garnet:Memory"] = "512m",
            ["Garnet:Index"] = "64m",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in layout.GarnetSettings ?? new Dictionary<string, string>()) garnet[key] = value;
        Garnet = Add(ServiceProcess.Start("Zk0.Garnet", ContentRoot("garnet"), garnet));
        await WaitUntilListeningAsync(Garnet, RedisPort, ct);
        for (var replica = 0; replica < layout.SuperLinkReplicas; replica++)
        {
            var address = $"http://127.0.0.1:{ServicePort.Next()}";
            var settings = new Dictionary<string, string>
            {
                ["Kestrel:Endpoints:grpc:Url"] = address,
                ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
                ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{ServicePort.Next()}",
                ["ConnectionStrings:redis"] = $"127.0.0.1:{RedisPort}",
                ["SuperLink:Blobs:Directory"] = BlobDirectory,
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in layout.SuperLinkSettings ?? new Dictionary<string, string>()) settings[key] = value;
            var superLink = Add(ServiceProcess.Start("Zk0.SuperLink", ContentRoot("superlink"), settings));
            _superLinks.Add(superLink);
            _superLinkAddresses.Add(address);
            await WaitUntilServingAsync(superLink, address, ct);
        }
        FleetAddress = SuperLinkAddress;
        if (!layout.WithGateway) return;

        var gatewayAddress = $"http://127.0.0.1:{ServicePort.Next()}";
        var gateway = Add(ServiceProcess.Start("Zk0.Gateway", ContentRoot("gateway"), new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:grpc:Url"] = gatewayAddress,
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{ServicePort.Next()}",
            ["services:superlink:grpc:0"] = SuperLinkAddress,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await WaitUntilServingAsync(gateway, gatewayAddress, ct);
        FleetAddress = gatewayAddress;
    }

    private ServiceProcess Add(ServiceProcess service)
    {
        _services.Add(service);
        return service;
    }

    private ServiceProcess Replace(ServiceProcess old, ServiceProcess started)
    {
        _services[_services.IndexOf(old)] = started;
        old.Dispose();
        return started;
    }

    /// <summary>The service's own appsettings.json (copied beside zk0 by the build) is its content root.</summary>
    private static string ContentRoot(string service)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "services", service);
        System.IO.Directory.CreateDirectory(root);
        return root;
    }

    private static async Task WaitUntilListeningAsync(ServiceProcess service, int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (service.HasExited)
                throw new InvalidOperationException($"{service.Name} exited while starting:{Environment.NewLine}{service.Tail()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"{service.Name} did not listen on port {port} within 60 s ({e.Message}):{Environment.NewLine}{service.Tail()}");
            }
        }
    }
    private static async Task WaitUntilServingAsync(ServiceProcess service, string address, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var control = new Control.ControlClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (service.HasExited)
                throw new InvalidOperationException($"{service.Name} exited while starting:{Environment.NewLine}{service.Tail()}");
            try
            {
                await control.ListRunsAsync(new ListRunsRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
            catch (RpcException e)
            {
                throw new TimeoutException($"{service.Name} did not answer at {address} within 60 s ({e.Status.Detail}):{Environment.NewLine}{service.Tail()}");
            }
        }
    }

}
