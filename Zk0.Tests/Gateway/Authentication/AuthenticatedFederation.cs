using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.SuperLink.Hosting;
using Zk0.Tests.SuperLink.Infrastructure;
using FleetClient = Zk0.Federation.Protocol.Fleet.FleetClient;
using ControlClient = Zk0.Federation.Protocol.Control.ControlClient;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>
/// A federation with authentication on, in process: Garnet, the SuperLink (node authentication and an Evaluator token)
/// and the Gateway as its Program.cs builds it (node authentication and an operator token) in front of it. Trainers
/// call through the gateway signing with their keys; the evaluator calls the SuperLink directly with its token.
/// </summary>
public sealed class AuthenticatedFederation : IAsyncDisposable
{
    private readonly GarnetFixture _redis = new();
    private readonly List<GrpcChannel> _channels = [];
    private WebApplication? _gateway;

    public string OperatorToken { get; } = OperatorCredential.NewToken();
    public string EvaluatorToken { get; } = OperatorCredential.NewToken();
    public FederationScenario Scenario { get; private set; } = null!;
    public string GatewayAddress { get; private set; } = "";
    public string WorkDirectory => Scenario.WorkDirectory;

    public static async Task<AuthenticatedFederation> StartAsync()
    {
        var federation = new AuthenticatedFederation();
        await federation._redis.InitializeAsync();
        federation.Scenario = await FederationScenario.StartAsync(federation._redis, services => services.Configure<SuperLinkOptions>(o =>
        {
            o.Auth.NodeAuthentication = true;
            o.Auth.EvaluatorToken = federation.EvaluatorToken;
        }));
        await federation.StartGatewayAsync();
        return federation;
    }

    private async Task StartGatewayAsync()
    {
        (_gateway, GatewayAddress) = await AuthGateway.StartAsync(new Dictionary<string, string?>
        {
            ["services:superlink:grpc:0"] = Scenario.Host.Address,
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["Gateway:Auth:NodeAuthentication"] = "true",
            ["Gateway:Auth:OperatorToken"] = OperatorToken,
            ["Gateway:Auth:KeyPrefix"] = Scenario.KeyPrefix,
        });
    }

    /// <summary>Fleet and Control clients through the gateway, every call going through <paramref name="interceptors"/>.</summary>
    public (FleetClient Fleet, ControlClient Control) ThroughGateway(params Interceptor[] interceptors)
    {
        var channel = GrpcChannel.ForAddress(GatewayAddress);
        _channels.Add(channel);
        var invoker = channel.Intercept(interceptors);
        return (new FleetClient(invoker), new ControlClient(invoker));
    }

    /// <summary>Fleet and Control clients straight to the SuperLink (where only the gateway and the Evaluator call).</summary>
    public (FleetClient Fleet, ControlClient Control) ToSuperLink(params Interceptor[] interceptors)
    {
        var channel = GrpcChannel.ForAddress(Scenario.Host.Address);
        _channels.Add(channel);
        var invoker = channel.Intercept(interceptors);
        return (new FleetClient(invoker), new ControlClient(invoker));
    }

    /// <summary>The Control API through the gateway with the operator credential.</summary>
    public ControlClient Operator => ThroughGateway(OperatorCredential.Interceptor(OperatorToken)).Control;

    /// <summary>A new key pair saved under the work directory and registered by the operator.</summary>
    public async Task<NodeKeyPair> RegisteredKeyAsync(string name)
    {
        var key = NodeKeyPair.Generate();
        key.Save(Path.Combine(WorkDirectory, "keys", name));
        await Operator.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = key.PublicKeyPem, Name = name });
        return key;
    }

    /// <summary>A trainer calling through the gateway, signing with <paramref name="key"/>.</summary>
    public TestNode Trainer(string datasetId, float delta, long examples, NodeKeyPair key)
    {
        var node = Scenario.AddTrainer(datasetId, delta, examples);
        var clients = ThroughGateway(new FleetSigningInterceptor(key));
        node.Clients = () => clients;
        return node;
    }

    /// <summary>The Evaluator, calling the SuperLink directly with its token.</summary>
    public TestNode Evaluator()
    {
        var node = Scenario.AddEvaluator();
        var clients = ToSuperLink(EvaluatorCredential.Interceptor(EvaluatorToken));
        node.Clients = () => clients;
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await Scenario.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
        foreach (var channel in _channels) channel.Dispose();
        await _redis.DisposeAsync();
    }
}
