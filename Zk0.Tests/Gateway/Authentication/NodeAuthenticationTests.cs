using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.Gateway.Authentication;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>
/// Calls the gateway or the SuperLink must refuse under authentication, each answered with a status and a message that
/// says what is wrong and what to do, while a run of registered nodes goes on (and, after the last test, completes).
/// </summary>
public sealed class NodeAuthenticationTests(ParkedRunWithAuthentication federation) : IClassFixture<ParkedRunWithAuthentication>
{
    private const string HeartbeatPath = "/zk0.federation.v1.Fleet/Heartbeat";

    private AuthenticatedFederation Federation => federation.Federation;

    private static async Task<RpcException> RefusedAsync<T>(Func<Task<T>> call, StatusCode status)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(status, refused.StatusCode);
        return refused;
    }

    [Fact]
    public async Task ANodeWithAnUnregisteredKeyIsRefusedAtTheGateway()
    {
        using var stranger = NodeKeyPair.Generate();
        var fleet = Federation.ThroughGateway(new FleetSigningInterceptor(stranger)).Fleet;

        var refused = await RefusedAsync(() => fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds-x" }).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Equal($"Node key {stranger.KeyId} is not registered with this federation; ask the federation's admin to run " +
            "`zk0 node register --public-key node.pub` with this node's node.pub.", refused.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ACallSignedByAnotherKeyThanTheOneItNamesIsRefused()
    {
        using var forger = NodeKeyPair.Generate();
        var headers = Headers(FleetRequestSignature.Sign(forger, HeartbeatPath, DateTimeOffset.UtcNow)
            .Select(h => h.Key == FleetRequestSignature.KeyIdHeader ? new KeyValuePair<string, string>(h.Key, federation.KeyA.KeyId) : h));
        var fleet = Federation.ThroughGateway().Fleet;

        var refused = await RefusedAsync(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = federation.TrainerA.NodeId }, headers).ResponseAsync, StatusCode.Unauthenticated);

        Assert.StartsWith($"The signature of Fleet call {HeartbeatPath} does not match node key {federation.KeyA.KeyId}", refused.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ACallWhoseTimestampIsOutsideTheReplayWindowIsRefused()
    {
        var slowClock = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(7));
        var fleet = Federation.ThroughGateway(new FleetSigningInterceptor(federation.KeyA, slowClock)).Fleet;

        var refused = await RefusedAsync(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = federation.TrainerA.NodeId }).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Matches(@"^Request timestamp is 7(\.0)? min behind the gateway's clock \(window 5(\.0)? min\); check the node's clock \(NTP\)\.$", refused.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AReplayedCallIsRefused()
    {
        var headers = Headers(FleetRequestSignature.Sign(federation.KeyA, HeartbeatPath, DateTimeOffset.UtcNow));
        var fleet = Federation.ThroughGateway().Fleet;
        var heartbeat = new HeartbeatRequest { NodeId = federation.TrainerA.NodeId };
        await fleet.HeartbeatAsync(heartbeat, headers);

        var refused = await RefusedAsync(() => fleet.HeartbeatAsync(heartbeat, headers).ResponseAsync, StatusCode.Unauthenticated);

        Assert.StartsWith("Request nonce was already used: a replayed request is refused.", refused.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnUnsignedFleetCallIsRefused()
    {
        var fleet = Federation.ThroughGateway().Fleet;

        var refused = await RefusedAsync(() => fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds-x" }).ResponseAsync, StatusCode.Unauthenticated);

        Assert.StartsWith("Fleet call /zk0.federation.v1.Fleet/RegisterNode is not signed", refused.Status.Detail);
        Assert.Contains("zk0 node keygen", refused.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task TheControlApiRefusesCallersWithoutTheOperatorCredential()
    {
        var anonymous = Federation.ThroughGateway().Control;
        var wrongToken = Federation.ThroughGateway(OperatorCredential.Interceptor(OperatorCredential.NewToken())).Control;

        var stop = await RefusedAsync(() => anonymous.StopRunAsync(new StopRunRequest { RunId = federation.RunId }).ResponseAsync, StatusCode.Unauthenticated);
        var list = await RefusedAsync(() => wrongToken.ListRunsAsync(new ListRunsRequest()).ResponseAsync, StatusCode.Unauthenticated);
        var register = await RefusedAsync(() => anonymous.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = NodeKeyPair.Generate().PublicKeyPem }).ResponseAsync,
            StatusCode.Unauthenticated);

        Assert.All(new[] { stop, register }, r => Assert.Equal(GatewayAuthMiddleware.OperatorCredentialMissing, r.Status.Detail));
        Assert.Equal(GatewayAuthMiddleware.OperatorCredentialWrong, list.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ARegisteredNodeCannotActAsAnotherNode()
    {
        var asB = Federation.ThroughGateway(new FleetSigningInterceptor(federation.KeyB)).Fleet;
        var nodeA = federation.TrainerA.NodeId;
        // A claimed verified key is the gateway's to set: it replaces the caller's.
        var claimingA = new Metadata { { FleetRequestSignature.VerifiedKeyIdHeader, federation.KeyA.KeyId } };

        var pull = await RefusedAsync(() => asB.PullTaskAsync(new PullTaskRequest { NodeId = nodeA }, claimingA).ResponseAsync, StatusCode.PermissionDenied);
        var heartbeat = await RefusedAsync(() => asB.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeA }).ResponseAsync, StatusCode.PermissionDenied);

        Assert.All(new[] { pull, heartbeat }, r => Assert.StartsWith($"Node '{nodeA}' was registered with another key than {federation.KeyB.KeyId}", r.Status.Detail));
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task OnlyTheEvaluatorMayRecordEvaluationsOrRegisterAsTheEvaluator()
    {
        var forged = new RecordEvaluationRequest { RunId = federation.RunId, Round = 1, TaskId = "task-forged", NodeId = federation.Evaluator.NodeId, Loss = 0 };
        var direct = Federation.ToSuperLink().Control;
        var operatorCall = Federation.Operator;
        var signedA = Federation.ThroughGateway(new FleetSigningInterceptor(federation.KeyA)).Fleet;

        var withoutToken = await RefusedAsync(() => direct.RecordEvaluationAsync(forged).ResponseAsync, StatusCode.PermissionDenied);
        var asOperator = await RefusedAsync(() => operatorCall.RecordEvaluationAsync(forged).ResponseAsync, StatusCode.PermissionDenied);
        var wrongToken = await RefusedAsync(() => Federation.ToSuperLink(EvaluatorCredential.Interceptor("guess")).Control.RecordEvaluationAsync(forged).ResponseAsync,
            StatusCode.PermissionDenied);
        var register = await RefusedAsync(() => signedA.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "held-out", Role = "evaluator" }).ResponseAsync,
            StatusCode.PermissionDenied);

        Assert.All(new[] { withoutToken, asOperator, wrongToken }, r => Assert.Equal("Only the federation's Evaluator may record evaluations.", r.Status.Detail));
        Assert.Equal("Only the federation's Evaluator may register as the evaluator.", register.Status.Detail);
        await federation.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ADifferentlyCasedFleetPathIsCheckedAsWell()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(Federation.GatewayAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ZK0.FEDERATION.V1.FLEET/Heartbeat")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        using var response = await http.SendAsync(request);

        Assert.Equal("16", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.StartsWith("Fleet call /ZK0.FEDERATION.V1.FLEET/Heartbeat is not signed", Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))));
        await federation.AssertUnharmedAsync();
    }

    private static Metadata Headers(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var metadata = new Metadata();
        foreach (var (name, value) in headers) metadata.Add(name, value);
        return metadata;
    }
}
