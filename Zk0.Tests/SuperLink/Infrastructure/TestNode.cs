using System.Diagnostics;
using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Tracing;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>
/// A node speaking the real Fleet API over gRPC: a trainer adds <c>delta</c> to every float tensor of the global
/// model (so FedAvg's result is known by hand), an evaluator reports the mean of "layer.weight" as the loss.
/// It re-resolves its clients on every call so a test can restart the SuperLink under it. <see cref="Clients"/> replaces the
/// SuperLink's own clients (to call through a gateway, or with credentials).
/// </summary>
public sealed class TestNode(Func<SuperLinkTestHost> host, string workDirectory, string role, string datasetId, float delta, long numExamples, float initValue = 1f)
{
    /// <summary>The clients the node calls with; null: the SuperLink host's own, without credentials.</summary>
    public Func<(Zk0.Federation.Protocol.Fleet.FleetClient Fleet, Zk0.Federation.Protocol.Control.ControlClient Control)>? Clients { get; set; }

    private Zk0.Federation.Protocol.Fleet.FleetClient FleetApi => Clients?.Invoke().Fleet ?? host().Fleet;
    private Zk0.Federation.Protocol.Control.ControlClient ControlApi => Clients?.Invoke().Control ?? host().Control;

    public static readonly ActivitySource Source = new("Zk0.Tests.Nodes");

    public string NodeId { get; private set; } = "";
    public int TasksDone { get; private set; }
    public List<string> Errors { get; } = [];

    /// <summary>How long the SuperLink may hold each pull (a long poll, as the SuperNode's); zero polls.</summary>
    public TimeSpan PullWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When set, the node only takes tasks while this returns true (to pause a node in a test).</summary>
    public Func<bool> Active { get; set; } = () => true;

    /// <summary>
    /// Once the node has its train task of <paramref name="round"/> it takes no more tasks, so its next round's task
    /// stays open, until the returned action releases it.
    /// </summary>
    public Action HoldBackAfterRound(int round)
    {
        var released = false;
        Active = () => Volatile.Read(ref released) || !TrainConfigs.Any(t => t.Round == round);
        return () => Volatile.Write(ref released, true);
    }

    /// <summary>The config of every train task this node received, by round, in the order received.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(int Round, IReadOnlyDictionary<string, string> Config)> TrainConfigs { get; } = new();

    /// <summary>The config of every evaluate task this node received, in the order received.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(int Round, IReadOnlyDictionary<string, string> Config)> EvaluateConfigs { get; } = new();

    /// <summary>The dataset statistics the node registers with (none when empty).</summary>
    public List<FeatureStatistics> DatasetStats { get; } = [];

    public async Task RegisterAsync()
    {
        var reply = await FleetApi.RegisterNodeAsync(new RegisterNodeRequest
            { DatasetId = datasetId, Role = role, NumExamples = numExamples, DisplayName = $"{role}-{datasetId}", DatasetStats = { DatasetStats } });
        NodeId = reply.NodeId;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(workDirectory);
        if (NodeId.Length == 0) await RegisterAsync();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var pulled = Active() ? await FleetApi.PullTaskAsync(PullTaskRequest.LongPoll(NodeId, PullWait), cancellationToken: ct) : null;
                if (pulled?.Task is { } task)
                {
                    await HandleAsync(task, ct);
                    TasksDone++;
                }
                else if (pulled is not null)
                {
                    await Task.Delay(pulled.DelayBeforeNextPull, ct);
                }
                else
                {
                    await FleetApi.HeartbeatAsync(new HeartbeatRequest { NodeId = NodeId }, cancellationToken: ct);
                    await Task.Delay(100, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException or HttpRequestException)
            {
                // The SuperLink may be restarting under us: wait and retry, as a real node does.
                Errors.Add(e.Message);
                try { await Task.Delay(200, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task HandleAsync(FederatedTask task, CancellationToken ct)
    {
        using var activity = RoundTraceContext.StartActivity(Source, $"node.{task.Kind.ToString().ToLowerInvariant()}", task.Traceparent);
        activity?.SetTag("zk0.run_id", task.RunId);
        activity?.SetTag("zk0.round", task.Round);
        activity?.SetTag("zk0.node_id", NodeId);
        var fleet = FleetApi;
        var caller = new BlobCaller(NodeId, task.RunId);
        switch (task.Kind)
        {
            case TaskKind.Init:
            {
                var path = Path.Combine(workDirectory, $"init-{task.TaskId}.safetensors");
                TinyModel.Uniform(initValue).Save(path);
                var upload = await BlobTransfer.UploadFileAsync(fleet, path, caller, ct);
                await fleet.PushResultAsync(new PushResultRequest { NodeId = NodeId, TaskId = task.TaskId, RunId = task.RunId, Round = 0, UpdateHash = upload.Sha256, UpdateSizeBytes = upload.SizeBytes }, cancellationToken: ct);
                break;
            }
            case TaskKind.Train:
            {
                TrainConfigs.Enqueue((task.Round, new Dictionary<string, string>(task.Config)));
                var global = Path.Combine(workDirectory, $"global-{task.GlobalModelHash}.safetensors");
                await BlobTransfer.DownloadToFileAsync(fleet, task.GlobalModelHash, global, caller, ct);
                var path = Path.Combine(workDirectory, $"update-{task.TaskId}.safetensors");
                TinyModel.Load(global).Plus(delta).Save(path);
                var upload = await BlobTransfer.UploadFileAsync(fleet, path, caller, ct);
                var push = new PushResultRequest
                {
                    NodeId = NodeId, TaskId = task.TaskId, RunId = task.RunId, Round = task.Round, UpdateHash = upload.Sha256,
                    UpdateSizeBytes = upload.SizeBytes, NumExamples = numExamples, BaseModelHash = task.GlobalModelHash,
                };
                push.Metrics["loss"] = delta;
                await fleet.PushResultAsync(push, cancellationToken: ct);
                break;
            }
            case TaskKind.Evaluate:
            {
                EvaluateConfigs.Enqueue((task.Round, new Dictionary<string, string>(task.Config)));
                var global = Path.Combine(workDirectory, $"eval-{task.GlobalModelHash}.safetensors");
                await BlobTransfer.DownloadToFileAsync(fleet, task.GlobalModelHash, global, caller, ct);
                var model = TinyModel.Load(global);
                var request = new RecordEvaluationRequest
                {
                    RunId = task.RunId, Round = task.Round, ModelHash = task.GlobalModelHash, Loss = model.Weight.Average(), TaskId = task.TaskId, NodeId = NodeId,
                };
                request.Datasets["held-out"] = new DatasetEvaluation { Loss = model.Weight.Average(), NumExamples = 10 };
                await ControlApi.RecordEvaluationAsync(request, cancellationToken: ct);
                break;
            }
        }
    }
}
