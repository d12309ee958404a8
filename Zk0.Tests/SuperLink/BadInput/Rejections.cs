using Google.Protobuf;
using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.State;

namespace Zk0.Tests.SuperLink.BadInput;

internal static class Rejections
{
    /// <summary>The call fails with <paramref name="expected"/> and a message mentioning each of <paramref name="mentions"/>.</summary>
    public static async Task<RpcException> Rejected(Func<Task> call, StatusCode expected, params string[] mentions)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, error.StatusCode);
        foreach (var mention in mentions) Assert.Contains(mention, error.Status.Detail);
        Assert.True(error.Status.Detail.Length < 1000, $"The message should stay short, but it is {error.Status.Detail.Length} characters.");
        return error;
    }

    public static string Huge(int characters) => new('x', characters);

    /// <summary>An upload of <paramref name="chunks"/> whose first chunk claims <paramref name="sha256"/> and <paramref name="totalSize"/>.</summary>
    public static async Task<UploadBlobReply> UploadRaw(Zk0.Federation.Protocol.Fleet.FleetClient fleet, string sha256, long totalSize, params byte[][] chunks)
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

    /// <summary>A node that only does what the test makes it do. An evaluator by role, so no round ever selects it for training.</summary>
    public static async Task<string> RegisterProbeAsync(this RunAlongside run, string name) =>
        (await run.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = $"probe-{name}", Role = "evaluator", DisplayName = name })).NodeId;

    /// <summary>
    /// Queues a task on <paramref name="nodeId"/>'s own queue (as the round driver would), in a round of its own so it
    /// cannot touch the run's real rounds; with <paramref name="pull"/>, the node takes it through Fleet.PullTask.
    /// </summary>
    public static async Task<string> GiveTaskAsync(this RunAlongside run, string runId, string nodeId, string kind, int round,
        string globalModel = "", long deadlineUnixMs = 0, bool pull = true)
    {
        var taskId = $"{runId}-probe-{Guid.NewGuid():N}"[..60];
        var deadline = deadlineUnixMs != 0 ? deadlineUnixMs : DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();
        await run.State.CreateTasksAsync([new TaskRecord(taskId, runId, round, kind, nodeId, kind == "evaluate" ? "evaluator" : "trainer",
            new Dictionary<string, string>(), globalModel, 0, "", deadline)]);
        if (pull) Assert.Equal(taskId, (await run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = nodeId })).Task.TaskId);
        return taskId;
    }
}
