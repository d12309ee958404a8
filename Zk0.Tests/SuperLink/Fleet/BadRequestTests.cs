using Google.Protobuf;
using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Fleet;

/// <summary>Mistakes get a gRPC status and a message naming the thing; none of them disturbs a live run.</summary>
public sealed class BadRequestTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    private static async Task<RpcException> Rejected(Func<Task> call, StatusCode expected, params string[] mentions)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, error.StatusCode);
        foreach (var mention in mentions) Assert.Contains(mention, error.Status.Detail);
        return error;
    }

    private static async Task<UploadBlobReply> UploadRaw(Zk0.Federation.Protocol.Fleet.FleetClient fleet, string sha256, long totalSize, params byte[][] chunks)
    {
        using var call = fleet.UploadBlob();
        var first = true;
        foreach (var data in chunks)
        {
            var chunk = new BlobChunk { Data = ByteString.CopyFrom(data) };
            if (first) { chunk.Sha256 = sha256; chunk.TotalSize = totalSize; first = false; }
            await call.RequestStream.WriteAsync(chunk);
        }
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    [Fact]
    public async Task BadRequestsGetClearErrorsAndTheRunStillCompletes()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var fleet = scenario.Host.Fleet;
        var control = scenario.Host.Control;
        var runId = await scenario.SubmitAsync("num-server-rounds=1 node-wait-timeout-seconds=120");
        var blobFiles = () => Directory.EnumerateFiles(scenario.BlobDirectory, "*", SearchOption.AllDirectories).Count();

        // Unknown run.
        await Rejected(() => control.GetRunAsync(new GetRunRequest { RunId = "run-does-not-exist" }).ResponseAsync, StatusCode.NotFound, "run-does-not-exist", "ListRuns");
        await Rejected(() => control.StopRunAsync(new StopRunRequest { RunId = "run-gone" }).ResponseAsync, StatusCode.NotFound, "run-gone");
        await Rejected(() => control.RecordEvaluationAsync(new RecordEvaluationRequest { RunId = "run-x", Round = 1 }).ResponseAsync, StatusCode.NotFound, "run-x");
        await Rejected(() => control.RecordEvaluationAsync(new RecordEvaluationRequest { RunId = runId, Round = 4 }).ResponseAsync, StatusCode.NotFound, "Round 4", runId);

        // Unknown node.
        await Rejected(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = "node-ghost" }).ResponseAsync, StatusCode.NotFound, "node-ghost", "RegisterNode");
        await Rejected(() => fleet.PullTaskAsync(new PullTaskRequest { NodeId = "node-ghost" }).ResponseAsync, StatusCode.NotFound, "node-ghost");
        await Rejected(() => fleet.PullTaskAsync(new PullTaskRequest { NodeId = "node-ghost", WaitMs = -5 }).ResponseAsync, StatusCode.InvalidArgument, "wait_ms", "-5");
        await Rejected(() => fleet.PushResultAsync(new PushResultRequest { NodeId = "node-ghost", TaskId = "t" }).ResponseAsync, StatusCode.NotFound, "node-ghost");

        // Wrong hash: the bytes hash to something else; nothing is stored.
        var bytes = new byte[3 * BlobTransfer.ChunkSize / 2];
        Random.Shared.NextBytes(bytes);
        var realHash = ContentHash.Of(bytes);
        var claimed = new string('0', 64);
        await Rejected(() => UploadRaw(fleet, claimed, bytes.Length, bytes[..BlobTransfer.ChunkSize], bytes[BlobTransfer.ChunkSize..]), StatusCode.DataLoss, claimed, realHash);
        await Rejected(() => UploadRaw(fleet, "not-a-hash", 3, [1, 2, 3]), StatusCode.InvalidArgument, "not-a-hash");

        // Truncated upload: fewer bytes than announced; nothing is stored.
        await Rejected(() => UploadRaw(fleet, realHash, bytes.Length, bytes[..1000]), StatusCode.DataLoss, realHash, "truncated", "1000");
        // Longer than announced.
        await Rejected(() => UploadRaw(fleet, realHash, 10, bytes[..1000]), StatusCode.InvalidArgument, realHash, "total_size");
        Assert.Equal(0, blobFiles());
        await Rejected(() => fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = realHash }).ResponseStream.MoveNext(), StatusCode.NotFound, realHash);

        // A correct upload of the same bytes works and downloads verified.
        var stored = await UploadRaw(fleet, realHash, bytes.Length, bytes[..BlobTransfer.ChunkSize], bytes[BlobTransfer.ChunkSize..]);
        Assert.Equal(realHash, stored.Sha256);
        using (var copy = new MemoryStream())
        {
            Assert.Equal(bytes.Length, await BlobTransfer.DownloadAsync(fleet, realHash, copy, BlobCaller.Operator));
            Assert.Equal(bytes, copy.ToArray());
        }
        // Blob calls that name a node or run the SuperLink does not know (the ids become metric tags).
        await Rejected(() => fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = realHash, NodeId = "node-ghost" }).ResponseStream.MoveNext(), StatusCode.NotFound, "node-ghost", "RegisterNode");
        await Rejected(() => fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = realHash, RunId = "run-ghost" }).ResponseStream.MoveNext(), StatusCode.NotFound, "run-ghost");
        var small = bytes[..1000];
        await Rejected(() => BlobTransfer.UploadAsync(fleet, new MemoryStream(small), ContentHash.Of(small), small.Length, new BlobCaller("node-ghost", "")), StatusCode.NotFound, "node-ghost");

        // Results that do not fit: unknown task, blob never uploaded, someone else's task.
        var nodeA = scenario.AddTrainer("ds-a", 1, 100);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        await nodeA.RegisterAsync();
        await nodeB.RegisterAsync();
        await Rejected(() => fleet.PushResultAsync(new PushResultRequest { NodeId = nodeA.NodeId, TaskId = "task-unknown" }).ResponseAsync, StatusCode.NotFound, "task-unknown");
        FederatedTask? initTask = null;
        TestNode? owner = null;
        for (var i = 0; initTask is null && i < 100; i++)
        {
            foreach (var node in new[] { nodeA, nodeB })
                if (initTask is null && (await fleet.PullTaskAsync(new PullTaskRequest { NodeId = node.NodeId })).Task is { } pulled)
                    (initTask, owner) = (pulled, node);
            if (initTask is null) await Task.Delay(100);
        }
        Assert.NotNull(initTask);
        Assert.NotNull(owner);
        Assert.Equal(TaskKind.Init, initTask.Kind);
        var other = owner == nodeA ? nodeB : nodeA;
        var missingBlob = new string('e', 64);
        await Rejected(() => fleet.PushResultAsync(new PushResultRequest { NodeId = owner.NodeId, TaskId = initTask.TaskId, RunId = runId, UpdateHash = missingBlob }).ResponseAsync,
            StatusCode.NotFound, missingBlob, "UploadBlob");
        await Rejected(() => fleet.PushResultAsync(new PushResultRequest { NodeId = other.NodeId, TaskId = initTask.TaskId, RunId = runId, UpdateHash = missingBlob }).ResponseAsync,
            StatusCode.PermissionDenied, initTask.TaskId, owner.NodeId);
        await Rejected(() => fleet.PushResultAsync(new PushResultRequest { NodeId = owner.NodeId, TaskId = initTask.TaskId, RunId = "run-other", UpdateHash = missingBlob }).ResponseAsync,
            StatusCode.InvalidArgument, "run-other", runId);

        // The owner then does the init task properly; a second result for it is refused.
        var initPath = Path.Combine(scenario.WorkDirectory, "init.safetensors");
        TinyModel.Uniform(1).Save(initPath);
        var init = await BlobTransfer.UploadFileAsync(fleet, initPath);
        var goodPush = new PushResultRequest { NodeId = owner.NodeId, TaskId = initTask.TaskId, RunId = runId, UpdateHash = init.Sha256, UpdateSizeBytes = init.SizeBytes };
        // Uploaded without naming the node and run, the blob is not the node's to report.
        await Rejected(() => fleet.PushResultAsync(goodPush).ResponseAsync, StatusCode.PermissionDenied, init.Sha256, owner.NodeId, runId, "node_id and run_id");
        await BlobTransfer.UploadFileAsync(fleet, initPath, new BlobCaller(owner.NodeId, runId));
        Assert.True((await fleet.PushResultAsync(goodPush)).Accepted);
        await Rejected(() => fleet.PushResultAsync(goodPush).ResponseAsync, StatusCode.AlreadyExists, initTask.TaskId);

        // Bad run configuration.
        var badRun = new SubmitRunRequest();
        badRun.Config["num-server-rounds"] = "lots";
        await Rejected(() => control.SubmitRunAsync(badRun).ResponseAsync, StatusCode.InvalidArgument, "num-server-rounds", "lots");
        var badStrategy = new SubmitRunRequest();
        badStrategy.Config["strategy"] = "fedmagic";
        await Rejected(() => control.SubmitRunAsync(badStrategy).ResponseAsync, StatusCode.InvalidArgument, "fedmagic", "fedavg");

        // The run goes on and completes.
        await scenario.StartAsync(nodeA, nodeB, scenario.AddEvaluator());
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromSeconds(90));
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.NotNull(run.Rounds[0].Eval);
    }
}
