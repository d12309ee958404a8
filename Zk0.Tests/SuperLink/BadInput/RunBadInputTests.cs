using Grpc.Core;
using Zk0.Federation.Protocol;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>Operators' calls naming runs that do not exist, or configs that make no sense, are refused; the run alongside goes on untouched.</summary>
[Collection(BadInputCollection.Name)]
public sealed class RunBadInputTests(RunAlongside run)
{
    private static SubmitRunRequest Submit(params (string Key, string Value)[] config)
    {
        var request = new SubmitRunRequest();
        foreach (var (key, value) in config) request.Config[key] = value;
        return request;
    }

    private async Task AssertNoRunAddedAsync(int before)
    {
        Assert.Equal(before, (await run.Control.ListRunsAsync(new ListRunsRequest())).Runs.Count);
        await run.AssertUnharmedAsync();
    }

    private async Task<int> RunsAsync() => (await run.Control.ListRunsAsync(new ListRunsRequest())).Runs.Count;

    [Fact]
    public async Task GetStopAndStreamOfAnUnknownRunAreRefused()
    {
        await Rejected(() => run.Control.GetRunAsync(new GetRunRequest { RunId = "run-does-not-exist" }).ResponseAsync, StatusCode.NotFound, "run-does-not-exist", "ListRuns");
        await Rejected(() => run.Control.StopRunAsync(new StopRunRequest { RunId = "run-gone" }).ResponseAsync, StatusCode.NotFound, "run-gone");
        await Rejected(() => run.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = "run-nowhere" }).ResponseStream.MoveNext(), StatusCode.NotFound, "run-nowhere");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ANegativeOrNonNumericRoundCountIsRefused()
    {
        var before = await RunsAsync();
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("num-server-rounds", "-3"))).ResponseAsync, StatusCode.InvalidArgument, "num-server-rounds", "-3");
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("num-server-rounds", "lots"))).ResponseAsync, StatusCode.InvalidArgument, "num-server-rounds", "lots");
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("strategy", "fedmagic"))).ResponseAsync, StatusCode.InvalidArgument, "fedmagic", "fedavg");
        await AssertNoRunAddedAsync(before);
    }

    [Fact]
    public async Task AFiveMiBConfigValueIsRefusedAndListRunsStaysReadable()
    {
        var before = await RunsAsync();
        var huge = Huge(5 << 20);
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("notes", huge))).ResponseAsync, StatusCode.InvalidArgument, "config['notes']", huge.Length.ToString(), "MaxRunConfigValueLength");
        await AssertNoRunAddedAsync(before);
    }

    [Fact]
    public async Task TooManyOrOversizedConfigKeysAreRefused()
    {
        var before = await RunsAsync();
        var limits = run.Options.Limits;
        var many = Submit();
        for (var i = 0; i <= limits.MaxRunConfigKeys; i++) many.Config[$"key-{i}"] = "1";
        await Rejected(() => run.Control.SubmitRunAsync(many).ResponseAsync, StatusCode.InvalidArgument, "config", $"{limits.MaxRunConfigKeys + 1} entries", "MaxRunConfigKeys");
        await Rejected(() => run.Control.SubmitRunAsync(Submit((Huge(limits.MaxRunConfigKeyLength + 1), "1"))).ResponseAsync, StatusCode.InvalidArgument, "config key", "MaxRunConfigKeyLength");
        // Each value within its limit, all of them together not.
        var bulky = Submit();
        for (var i = 0; i * limits.MaxRunConfigValueLength <= limits.MaxRunConfigLength; i++) bulky.Config[$"notes-{i}"] = Huge(limits.MaxRunConfigValueLength);
        await Rejected(() => run.Control.SubmitRunAsync(bulky).ResponseAsync, StatusCode.InvalidArgument, "config has", "characters in all", "MaxRunConfigLength");
        await AssertNoRunAddedAsync(before);
    }

    [Fact]
    public async Task AMalformedConfigKeyIsRefused()
    {
        var before = await RunsAsync();
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("", "3"))).ResponseAsync, StatusCode.InvalidArgument, "Run configuration key ''", "malformed");
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("num server rounds", "3"))).ResponseAsync, StatusCode.InvalidArgument, "'num server rounds'", "malformed");
        await AssertNoRunAddedAsync(before);
    }

    [Fact]
    public async Task AnInitialModelThatWasNeverUploadedIsRefused()
    {
        var before = await RunsAsync();
        var missing = new string('d', 64);
        await Rejected(() => run.Control.SubmitRunAsync(Submit(("initial-model", missing))).ResponseAsync, StatusCode.FailedPrecondition, missing, "UploadBlob");
        await AssertNoRunAddedAsync(before);
    }

    [Fact]
    public async Task AnOversizedStopReasonIsKeptTruncatedWithAMarker()
    {
        var stopped = (await run.Control.SubmitRunAsync(Submit(("num-server-rounds", "1")))).RunId;
        var reason = Huge(1 << 20);
        Assert.Equal(RunStatus.Stopped, (await run.Control.StopRunAsync(new StopRunRequest { RunId = stopped, Reason = reason })).Status);
        var message = (await run.Control.GetRunAsync(new GetRunRequest { RunId = stopped })).Summary.Message;
        var kept = run.Options.Limits.MaxErrorLength;
        Assert.StartsWith(reason[..kept], message);
        Assert.EndsWith($"[truncated: {reason.Length - kept} more characters]", message);
        await run.AssertUnharmedAsync();
    }
}
