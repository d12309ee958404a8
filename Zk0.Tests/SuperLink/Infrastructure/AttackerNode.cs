using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>
/// A trainer driven step by step by a test: it takes its task, uploads whatever bytes the test crafted (properly, naming
/// itself and the run) and pushes them, so the test sees the status each answer gets.
/// </summary>
public sealed class AttackerNode(Func<SuperLinkTestHost> host, string workDirectory, string datasetId, long registeredExamples)
{
    public string NodeId { get; private set; } = "";

    public async Task RegisterAsync()
    {
        Directory.CreateDirectory(workDirectory);
        var reply = await host().Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = datasetId, Role = "trainer", NumExamples = registeredExamples });
        NodeId = reply.NodeId;
    }

    /// <summary>Long-polls (which keeps the node's lease) until a task of <paramref name="kind"/> arrives.</summary>
    public async Task<FederatedTask> PullAsync(TaskKind kind, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var pulled = await host().Fleet.PullTaskAsync(PullTaskRequest.LongPoll(NodeId, TimeSpan.FromSeconds(1)));
            if (pulled.Task is { } task)
                return task.Kind == kind ? task : throw new InvalidOperationException($"Expected a {kind} task, got {task.Kind} ({task.TaskId}).");
        }
        throw new TimeoutException($"Node {NodeId} got no {kind} task in {timeout}.");
    }

    public async Task<string> DownloadGlobalModelAsync(FederatedTask task)
    {
        var path = Path.Combine(workDirectory, $"global-{task.GlobalModelHash}.safetensors");
        await BlobTransfer.DownloadToFileAsync(host().Fleet, task.GlobalModelHash, path, new BlobCaller(NodeId, task.RunId));
        return path;
    }

    public async Task<string> UploadAsync(byte[] bytes, string runId) =>
        (await BlobTransfer.UploadAsync(host().Fleet, new MemoryStream(bytes), ContentHash.Of(bytes), bytes.Length, new BlobCaller(NodeId, runId))).Sha256;

    /// <summary>Pushes <paramref name="updateHash"/> as the task's result and returns how the SuperLink refused it.</summary>
    public async Task<RpcException> PushRefusedAsync(FederatedTask task, string updateHash, long numExamples)
    {
        var push = new PushResultRequest
        {
            NodeId = NodeId, TaskId = task.TaskId, RunId = task.RunId, Round = task.Round, UpdateHash = updateHash,
            NumExamples = numExamples, BaseModelHash = task.GlobalModelHash,
        };
        try
        {
            var reply = await host().Fleet.PushResultAsync(push);
            throw new InvalidOperationException($"The SuperLink accepted the result of task {task.TaskId}: {reply.Message}");
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>Answers the task with an error, as a node that gives up does.</summary>
    public async Task DeclineAsync(FederatedTask task) =>
        await host().Fleet.PushResultAsync(new PushResultRequest { NodeId = NodeId, TaskId = task.TaskId, RunId = task.RunId, Round = task.Round, Error = "declined" });
}
