using Grpc.Core;
using Zk0.Federation.Protocol;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>Registrations, heartbeats and pulls that make no sense are refused by name; the run alongside goes on untouched.</summary>
[Collection(BadInputCollection.Name)]
public sealed class NodeBadInputTests(RunAlongside run)
{
    private const int FiveMiB = 5 << 20;

    private static RegisterNodeRequest Registration() => new() { DatasetId = "probe-register", Role = "evaluator", DisplayName = "probe" };

    [Fact]
    public async Task AFiveMiBDatasetIdIsRefusedAndListNodesStaysReadable()
    {
        var request = Registration();
        request.DatasetId = Huge(FiveMiB);
        await Rejected(() => run.Fleet.RegisterNodeAsync(request).ResponseAsync, StatusCode.InvalidArgument, "dataset_id", FiveMiB.ToString(), "MaxDatasetIdLength");
        Assert.NotEmpty((await run.Control.ListNodesAsync(new ListNodesRequest { IncludeExpired = true })).Nodes);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnOversizedDisplayNameOrRoleIsRefused()
    {
        var named = Registration();
        named.DisplayName = Huge(run.Options.Limits.MaxDisplayNameLength + 1);
        await Rejected(() => run.Fleet.RegisterNodeAsync(named).ResponseAsync, StatusCode.InvalidArgument, "display_name", "MaxDisplayNameLength");
        var role = Registration();
        role.Role = Huge(FiveMiB);
        await Rejected(() => run.Fleet.RegisterNodeAsync(role).ResponseAsync, StatusCode.InvalidArgument, "Role", $"({FiveMiB} characters)", "\"trainer\"");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task TooManyOrOversizedCapabilitiesAreRefused()
    {
        var limits = run.Options.Limits;
        var many = Registration();
        for (var i = 0; i <= limits.MaxCapabilities; i++) many.Capabilities[$"c{i}"] = "x";
        await Rejected(() => run.Fleet.RegisterNodeAsync(many).ResponseAsync, StatusCode.InvalidArgument, "capabilities", "MaxCapabilities");
        var longKey = Registration();
        longKey.Capabilities[Huge(limits.MaxCapabilityKeyLength + 1)] = "x";
        await Rejected(() => run.Fleet.RegisterNodeAsync(longKey).ResponseAsync, StatusCode.InvalidArgument, "capabilities key", "MaxCapabilityKeyLength");
        var longValue = Registration();
        longValue.Capabilities["device"] = Huge(FiveMiB);
        await Rejected(() => run.Fleet.RegisterNodeAsync(longValue).ResponseAsync, StatusCode.InvalidArgument, "capabilities['device']", "MaxCapabilityValueLength");
        var bulky = Registration();
        for (var i = 0; i * limits.MaxCapabilityValueLength <= limits.MaxCapabilitiesLength; i++) bulky.Capabilities[$"c{i}"] = Huge(limits.MaxCapabilityValueLength);
        await Rejected(() => run.Fleet.RegisterNodeAsync(bulky).ResponseAsync, StatusCode.InvalidArgument, "capabilities has", "characters in all", "MaxCapabilitiesLength");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnUnknownNodesHeartbeatAndPullAreToldToRegister()
    {
        await Rejected(() => run.Fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = "node-ghost" }).ResponseAsync, StatusCode.NotFound, "node-ghost", "RegisterNode");
        await Rejected(() => run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = "node-ghost" }).ResponseAsync, StatusCode.NotFound, "node-ghost", "RegisterNode");
        await Rejected(() => run.Fleet.PushResultAsync(new PushResultRequest { NodeId = "node-ghost", TaskId = "t" }).ResponseAsync, StatusCode.NotFound, "node-ghost");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ANegativeWaitIsRefused()
    {
        var node = await run.RegisterProbeAsync("negative-wait");
        await Rejected(() => run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = -5 }).ResponseAsync, StatusCode.InvalidArgument, "wait_ms", "-5");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnOversizedNodeIdIsRefusedNamingTheLimit()
    {
        var id = Huge(FiveMiB);
        await Rejected(() => run.Fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = id }).ResponseAsync, StatusCode.InvalidArgument, "node_id", FiveMiB.ToString(), "MaxIdLength");
        await Rejected(() => run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = id }).ResponseAsync, StatusCode.InvalidArgument, "node_id", "MaxIdLength");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task UnusableOrOversizedDatasetStatisticsAreRefusedByName()
    {
        var negative = Registration();
        negative.DatasetStats.Add(new FeatureStatistics { Feature = "action", Count = 5, Min = { 0 }, Max = { 1 }, Mean = { 0.5 }, Std = { -1 } });
        await Rejected(() => run.Fleet.RegisterNodeAsync(negative).ResponseAsync, StatusCode.InvalidArgument, "dataset_stats", "'action' has a negative std", "meta/stats.json");
        var notANumber = Registration();
        notANumber.DatasetStats.Add(new FeatureStatistics { Feature = "state", Count = 5, Min = { 0 }, Max = { 1 }, Mean = { double.NaN }, Std = { 1 } });
        await Rejected(() => run.Fleet.RegisterNodeAsync(notANumber).ResponseAsync, StatusCode.InvalidArgument, "'state' has a value that is not a finite number");
        var twice = Registration();
        for (var i = 0; i < 2; i++) twice.DatasetStats.Add(new FeatureStatistics { Feature = "action", Count = 5, Min = { 0 }, Max = { 1 }, Mean = { 0.5 }, Std = { 1 } });
        await Rejected(() => run.Fleet.RegisterNodeAsync(twice).ResponseAsync, StatusCode.InvalidArgument, "names 'action' 2 times");
        var huge = Registration();
        var width = run.Options.Limits.MaxDatasetStatsValues;
        huge.DatasetStats.Add(new FeatureStatistics { Feature = "action", Count = 5, Min = { new double[width] }, Max = { new double[width] }, Mean = { new double[width] }, Std = { new double[width] } });
        await Rejected(() => run.Fleet.RegisterNodeAsync(huge).ResponseAsync, StatusCode.InvalidArgument, "dataset_stats holds", "MaxDatasetStatsValues");
        await run.AssertUnharmedAsync();
    }
}
