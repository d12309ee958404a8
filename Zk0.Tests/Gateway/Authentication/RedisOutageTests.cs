using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>Without its Redis the gateway cannot check node keys: nodes are told to retry (UNAVAILABLE), not that they are unknown.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task SignedCallsAreAnsweredUnavailableWhileRedisIsUnreachable()
    {
        var (gateway, address) = await AuthGateway.StartAsync(new Dictionary<string, string?>
        {
            ["services:superlink:grpc:0"] = "http://127.0.0.1:1",
            ["ConnectionStrings:redis"] = $"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=500,connectRetry=0",
            ["Gateway:Auth:NodeAuthentication"] = "true",
        });
        await using var _ = gateway;
        using var channel = GrpcChannel.ForAddress(address);
        using var key = NodeKeyPair.Generate();
        var fleet = new Zk0.Federation.Protocol.Fleet.FleetClient(channel.Intercept(new FleetSigningInterceptor(key)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = "node-1" }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.StartsWith("The gateway cannot check node keys right now: the federation's Redis is unreachable", refused.Status.Detail);
    }
}
