using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// A federation's server side for one bench: Garnet, the SuperLink and (optionally) the gateway, each its own
/// process on loopback, state in Garnet and blobs under the work directory. Nodes are the bench's to simulate.
/// </summary>
public sealed class BenchFederation : IDisposable
{
    private readonly List<ServiceProcess> _services = [];

    private BenchFederation(string directory) => Directory = directory;

    public string Directory { get; }
    public string BlobDirectory => Path.Combine(Directory, "blobs");
    public ServiceProcess SuperLink { get; private set; } = null!;
    public string SuperLinkAddress { get; private set; } = "";
    /// <summary>Where nodes connect: the gateway when there is one, else the SuperLink itself.</summary>
    public string FleetAddress { get; private set; } = "";

    /// <param name="superLinkSettings">SuperLink configuration overrides (<c>SuperLink:NodeLease</c> …).</param>
    public static async Task<BenchFederation> StartAsync(string directory, bool withGateway, IReadOnlyDictionary<string, string>? superLinkSettings, CancellationToken ct)
    {
        var federation = new BenchFederation(directory);
        try
        {
            await federation.StartServicesAsync(withGateway, superLinkSettings ?? new Dictionary<string, string>(), ct);
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

    public void Dispose()
    {
        foreach (var service in Enumerable.Reverse(_services)) service.Dispose();
    }

    private async Task StartServicesAsync(bool withGateway, IReadOnlyDictionary<string, string> superLinkSettings, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(BlobDirectory);
        var redisPort = FreePort();
        Add(ServiceProcess.Start("Zk0.Garnet", ContentRoot("garnet"), new Dictionary<string, string>
        {
            ["Garnet:Port"] = $"{redisPort}",
            ["Garnet:Memory"] = "512m",
            ["Garnet:Index"] = "64m",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        var grpcPort = FreePort();
        SuperLinkAddress = $"http://127.0.0.1:{grpcPort}";
        var settings = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:grpc:Url"] = SuperLinkAddress,
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{FreePort()}",
            ["ConnectionStrings:redis"] = $"127.0.0.1:{redisPort}",
            ["SuperLink:Blobs:Directory"] = BlobDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in superLinkSettings) settings[key] = value;
        SuperLink = Add(ServiceProcess.Start("Zk0.SuperLink", ContentRoot("superlink"), settings));
        await WaitUntilServingAsync(SuperLink, SuperLinkAddress, ct);
        FleetAddress = SuperLinkAddress;
        if (!withGateway) return;

        var gatewayAddress = $"http://127.0.0.1:{FreePort()}";
        var gateway = Add(ServiceProcess.Start("Zk0.Gateway", ContentRoot("gateway"), new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:grpc:Url"] = gatewayAddress,
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{FreePort()}",
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

    /// <summary>The service's own appsettings.json (copied beside zk0 by the build) is its content root.</summary>
    private static string ContentRoot(string service)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "services", service);
        System.IO.Directory.CreateDirectory(root);
        return root;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
