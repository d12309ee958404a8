using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Hosting;

public sealed class StateStoreOutageTests
{
    [Fact]
    public async Task CallsMadeWhileRedisIsUnreachableAreAnsweredUnavailableSoCallersRetry()
    {
        var blobs = Directory.CreateTempSubdirectory("zk0-outage-").FullName;
        // Nothing listens there: every state call fails to connect, as while Redis restarts.
        var redis = $"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=500,syncTimeout=500,asyncTimeout=500";
        await using var host = await SuperLinkTestHost.StartAsync(redis, blobs, "outage");
        try
        {
            var heartbeat = await Assert.ThrowsAsync<RpcException>(() => host.Fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = "node-x" }).ResponseAsync);
            var register = await Assert.ThrowsAsync<RpcException>(() => host.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds", Role = "trainer" }).ResponseAsync);
            var list = await Assert.ThrowsAsync<RpcException>(() => host.Control.ListRunsAsync(new ListRunsRequest()).ResponseAsync);

            Assert.All([heartbeat, register, list], e =>
            {
                Assert.Equal(StatusCode.Unavailable, e.StatusCode);
                Assert.Contains("state store (Redis)", e.Status.Detail, StringComparison.Ordinal);
            });
        }
        finally
        {
            Directory.Delete(blobs, recursive: true);
        }
    }
}
