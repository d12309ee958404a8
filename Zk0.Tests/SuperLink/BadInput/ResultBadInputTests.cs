using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Rounds;
using Zk0.Tests.SuperLink.Infrastructure;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>Results that answer no task of the caller's, or come too late or twice, are refused; the run alongside goes on untouched.</summary>
[Collection(BadInputCollection.Name)]
public sealed class ResultBadInputTests(RunAlongside run)
{
    // Rounds far past the run's two, so the probes' tasks cannot mix with the run's own.
    private const int ProbeRound = 1000;

    /// <summary>Uploads an update as a node does, naming itself and the run (or neither, as an operator's tool does).</summary>
    private async Task<(string Sha256, long Size)> UploadUpdateAsync(float value, BlobCaller? caller = null)
    {
        var path = Path.Combine(run.Scenario.WorkDirectory, $"probe-update-{Guid.NewGuid():N}.safetensors");
        TinyModel.Uniform(value).Save(path);
        var reply = await BlobTransfer.UploadFileAsync(run.Fleet, path, caller ?? BlobCaller.Operator);
        return (reply.Sha256, reply.SizeBytes);
    }

    private PushResultRequest Push(string nodeId, string taskId, string runId, (string Sha256, long Size) update) =>
        new() { NodeId = nodeId, TaskId = taskId, RunId = runId, Round = ProbeRound, UpdateHash = update.Sha256, UpdateSizeBytes = update.Size, NumExamples = 10, BaseModelHash = run.Round1Model };

    [Fact]
    public async Task AResultForAnUnknownTaskIsRefused()
    {
        var node = await run.RegisterProbeAsync("unknown-task");
        await Rejected(() => run.Fleet.PushResultAsync(new PushResultRequest { NodeId = node, TaskId = "task-unknown" }).ResponseAsync, StatusCode.NotFound, "task-unknown", "PullTask");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultForAnotherNodesTaskIsRefusedNamingBothNodes()
    {
        var owner = await run.RegisterProbeAsync("owner");
        var intruder = await run.RegisterProbeAsync("intruder");
        var task = await run.GiveTaskAsync(run.RunId, owner, TaskKinds.Train, ProbeRound, run.Round1Model);
        var update = await UploadUpdateAsync(7);
        await Rejected(() => run.Fleet.PushResultAsync(Push(intruder, task, run.RunId, update)).ResponseAsync, StatusCode.PermissionDenied, task, owner, intruder);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultForAFinishedRunsTaskIsRefused()
    {
        var node = await run.RegisterProbeAsync("late-run");
        var finished = run.Reference.Summary.RunId;
        var task = await run.GiveTaskAsync(finished, node, TaskKinds.Train, ProbeRound, run.Round1Model, pull: false);
        var update = await UploadUpdateAsync(8);
        await Rejected(() => run.Fleet.PushResultAsync(Push(node, task, finished, update)).ResponseAsync, StatusCode.FailedPrecondition, finished, "ended");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultPastItsTasksDeadlineIsRefused()
    {
        var node = await run.RegisterProbeAsync("late-task");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model,
            deadlineUnixMs: DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds(), pull: false);
        var update = await UploadUpdateAsync(9);
        await Rejected(() => run.Fleet.PushResultAsync(Push(node, task, run.RunId, update)).ResponseAsync, StatusCode.DeadlineExceeded, task, "deadline");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultPushedTwiceCountsOnce()
    {
        var node = await run.RegisterProbeAsync("twice");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model);
        var push = Push(node, task, run.RunId, await UploadUpdateAsync(10, new BlobCaller(node, run.RunId)));
        Assert.True((await run.Fleet.PushResultAsync(push)).Accepted);
        await Rejected(() => run.Fleet.PushResultAsync(push).ResponseAsync, StatusCode.AlreadyExists, task, "first one counts");
        Assert.Single(await run.State.GetResultsAsync(run.RunId, ProbeRound), r => r.TaskId == task);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultNamingABlobNeverUploadedIsRefused()
    {
        var node = await run.RegisterProbeAsync("no-blob");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model);
        var missing = new string('e', 64);
        await Rejected(() => run.Fleet.PushResultAsync(Push(node, task, run.RunId, (missing, 100))).ResponseAsync, StatusCode.NotFound, missing, "UploadBlob");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultNamingABlobTheNodeDidNotUploadForTheRunIsRefused()
    {
        var node = await run.RegisterProbeAsync("not-mine");
        var other = await run.RegisterProbeAsync("uploader");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model);
        var anonymous = await UploadUpdateAsync(12);
        await Rejected(() => run.Fleet.PushResultAsync(Push(node, task, run.RunId, anonymous)).ResponseAsync,
            StatusCode.PermissionDenied, anonymous.Sha256, node, run.RunId, "node_id and run_id");
        var othersUpload = await UploadUpdateAsync(13, new BlobCaller(other, run.RunId));
        await Rejected(() => run.Fleet.PushResultAsync(Push(node, task, run.RunId, othersUpload)).ResponseAsync,
            StatusCode.PermissionDenied, othersUpload.Sha256, node);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AResultWithTooManyMetricsIsRefusedNamingTheLimit()
    {
        var node = await run.RegisterProbeAsync("metrics");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model);
        var push = Push(node, task, run.RunId, await UploadUpdateAsync(11));
        for (var i = 0; i <= run.Options.Limits.MaxMetrics; i++) push.Metrics[$"m{i}"] = i;
        await Rejected(() => run.Fleet.PushResultAsync(push).ResponseAsync, StatusCode.InvalidArgument, "metrics", $"{run.Options.Limits.MaxMetrics + 1} entries", "MaxMetrics");
        push.Metrics.Clear();
        push.Metrics[Huge(run.Options.Limits.MaxMetricKeyLength + 1)] = 1;
        await Rejected(() => run.Fleet.PushResultAsync(push).ResponseAsync, StatusCode.InvalidArgument, "metrics key", "MaxMetricKeyLength");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnOversizedErrorReportIsKeptTruncatedWithAMarker()
    {
        var node = await run.RegisterProbeAsync("error");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, ProbeRound, run.Round1Model);
        var report = Huge(3 << 20);
        Assert.True((await run.Fleet.PushResultAsync(new PushResultRequest { NodeId = node, TaskId = task, RunId = run.RunId, Error = report })).Accepted);
        var stored = Assert.Single(await run.State.GetResultsAsync(run.RunId, ProbeRound), r => r.TaskId == task);
        var kept = run.Options.Limits.MaxErrorLength;
        Assert.StartsWith(report[..kept], stored.Error);
        Assert.EndsWith($"[truncated: {report.Length - kept} more characters]", stored.Error);
        Assert.True(stored.Error.Length < kept + 100);
        // ListRuns stays readable for everyone.
        Assert.Contains((await run.Control.ListRunsAsync(new ListRunsRequest())).Runs, r => r.RunId == run.RunId);
        await run.AssertUnharmedAsync();
    }
}
