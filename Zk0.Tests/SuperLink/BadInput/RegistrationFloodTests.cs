using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Hosting;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>A run alongside on a SuperLink that keeps at most 40 node records, with short leases and a short retention.</summary>
public sealed class SmallFederation : RunAlongside
{
    public const int MaxNodes = 40;

    protected override void Configure(SuperLinkOptions options)
    {
        options.Limits.MaxNodes = MaxNodes;
        options.NodeLease = TimeSpan.FromSeconds(2);
        options.ForgetNodesAfter = TimeSpan.FromSeconds(1);
    }

    protected override int CountTests() => CountTests(typeof(RegistrationFloodTests));
}

/// <summary>
/// A flood of registrations is bounded by MaxNodes; the flood's nodes, never heard from again, are forgotten and never
/// selected (the run alongside finishes its next round with the honest trainers only).
/// </summary>
public sealed class RegistrationFloodTests(SmallFederation run) : IClassFixture<SmallFederation>
{
    private async Task<IReadOnlyList<string>> NodeIdsAsync() =>
        (await run.Control.ListNodesAsync(new ListNodesRequest { IncludeExpired = true })).Nodes.Select(n => n.NodeId).ToList();

    [Fact]
    public async Task AFloodIsRefusedBeyondMaxNodesAndItsSilentNodesAreForgotten()
    {
        var honest = await NodeIdsAsync();
        var flood = new List<string>();
        RpcException? refused = null;
        for (var i = 0; i < SmallFederation.MaxNodes + 20 && refused is null; i++)
        {
            try
            {
                flood.Add((await run.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = $"flood-{i}", Role = "trainer", NumExamples = 1 })).NodeId);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains($"{SmallFederation.MaxNodes} node records", refused.Status.Detail);
        Assert.Contains("MaxNodes", refused.Status.Detail);
        Assert.Contains("ForgetNodesAfter", refused.Status.Detail);
        Assert.Equal(SmallFederation.MaxNodes - honest.Count, flood.Count);
        Assert.Equal(SmallFederation.MaxNodes, (await NodeIdsAsync()).Count);

        // Lease (2 s) + retention (1 s) + a sweep: the flood is gone, the honest nodes (who keep calling) are not.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await NodeIdsAsync()).Intersect(flood).Any() && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(honest.Order(), (await NodeIdsAsync()).Order());

        // A forgotten node that calls again is told to register, and may.
        await Rejected(() => run.Fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = flood[0] }).ResponseAsync, StatusCode.NotFound, flood[0], "RegisterNode");
        await Rejected(() => run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = flood[0] }).ResponseAsync, StatusCode.NotFound, flood[0], "RegisterNode");
        Assert.NotEmpty((await run.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "flood-0", Role = "evaluator" })).NodeId);
        await run.AssertUnharmedAsync();
    }
}
