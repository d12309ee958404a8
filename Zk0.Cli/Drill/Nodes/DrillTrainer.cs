using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grpc.Core;
using Zk0.Cli.Simulation;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;

namespace Zk0.Cli.Drill.Nodes;

/// <summary>
/// A trainer node for drills, speaking the real Fleet API: registers, keeps its lease, long-polls, and answers init and
/// train tasks with deterministic synthetic models (<see cref="DrillUpdates"/>). Like the SuperNode it repeats a push
/// until the task's deadline while no SuperLink answers, and registers again when the SuperLink no longer knows it.
/// Answers the SuperLink refused are kept in <see cref="Refusals"/>. Cancelling <see cref="RunAsync"/> is the node dying:
/// no further call, no goodbye.
/// </summary>
public sealed class DrillTrainer(SuperLinkEndpoints endpoints, string datasetId, long numExamples, SyntheticModel model, TrainerBehaviour behaviour)
{
    private readonly SemaphoreSlim _registering = new(1, 1);
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(1);

    public string DatasetId => datasetId;
    public volatile string NodeId = "";
    /// <summary>Called with every task the node pulls, before it answers (a drill kills the node from here).</summary>
    public Action<FederatedTask>? Pulled { get; init; }
    /// <summary>Uploads of a slow node, in bytes per second.</summary>
    public long SlowUploadBytesPerSecond { get; init; } = 512 * 1024;
    public ConcurrentQueue<RpcException> Refusals { get; } = new();
    public ConcurrentQueue<FederatedTask> Answered { get; } = new();

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await RegisterAsync(knownAs: "", ct);
            await Task.WhenAll(HeartbeatAsync(ct), ServeAsync(ct));
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
        }
    }

    private async Task RegisterAsync(string knownAs, CancellationToken ct)
    {
        await _registering.WaitAsync(ct);
        try
        {
            if (NodeId != knownAs) return; // the other loop registered already
            var reply = await WhileOutageAsync(() => endpoints.Fleet.RegisterNodeAsync(new RegisterNodeRequest
            {
                DatasetId = datasetId, Role = "trainer", NumExamples = numExamples, DisplayName = datasetId,
            }, cancellationToken: ct).ResponseAsync, ct);
            _heartbeatInterval = TimeSpan.FromMilliseconds(Math.Max(100, reply.HeartbeatIntervalMs));
            NodeId = reply.NodeId;
        }
        finally
        {
            _registering.Release();
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(_heartbeatInterval, ct);
            var node = NodeId;
            try
            {
                await endpoints.Fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = node }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                await RegisterAsync(node, ct);
            }
            catch (RpcException e) when (SuperLinkEndpoints.IsOutage(e, ct) || e.StatusCode == StatusCode.DeadlineExceeded)
            {
                endpoints.Next();
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                Refusals.Enqueue(e);
            }
        }
    }

    private async Task ServeAsync(CancellationToken ct)
    {
        while (true)
        {
            var node = NodeId;
            if (await endpoints.PullAsync(node, () => RegisterAsync(node, ct), Refusals, ct) is not { } pulled) continue;
            if (pulled.Task is not { } task)
            {
                await Task.Delay(pulled.DelayBeforeNextPull, ct);
                continue;
            }
            Pulled?.Invoke(task);
            if (behaviour == TrainerBehaviour.Hung) await Task.Delay(Timeout.Infinite, ct);
            await AnswerAsync(node, task, ct);
        }
    }

    /// <summary>Uploads the task's model and pushes the result, again while no SuperLink answers, until the SuperLink accepts or refuses it.</summary>
    private async Task AnswerAsync(string node, FederatedTask task, CancellationToken ct)
    {
        var seed = task.Config.GetValueOrDefault("seed", "");
        var accepted = await endpoints.AnswerAsync(task, async () =>
        {
            var (hash, size, examples) = await UploadAsync(node, task, seed, ct);
            await endpoints.Fleet.PushResultAsync(new PushResultRequest
            {
                NodeId = node, TaskId = task.TaskId, RunId = task.RunId, Round = task.Round, UpdateHash = hash, UpdateSizeBytes = size,
                NumExamples = examples, BaseModelHash = task.GlobalModelHash, Metrics = { ["loss"] = DrillUpdates.EvaluationLoss(hash) },
            }, cancellationToken: ct);
        }, Refusals, ct);
        if (accepted) Answered.Enqueue(task);
    }

    private async Task<(string Hash, long Size, long NumExamples)> UploadAsync(string node, FederatedTask task, string seed, CancellationToken ct)
    {
        var caller = new BlobCaller(node, task.RunId);
        if (behaviour == TrainerBehaviour.Attacker)
        {
            var (payload, examples) = Poison(task);
            var hash = Convert.ToHexStringLower(SHA256.HashData(payload));
            await BlobTransfer.UploadAsync(endpoints.Fleet, new MemoryStream(payload), hash, payload.Length, caller, ct);
            return (hash, payload.Length, examples);
        }
        var variant = task.Kind == TaskKind.Init ? DrillUpdates.InitialVariant(seed) : DrillUpdates.TrainVariant(seed, task.Round, datasetId, task.GlobalModelHash);
        var (sha, size) = model.Hash(SafetensorsDType.F32, variant);
        await using var generated = model.OpenRead(SafetensorsDType.F32, variant, out var producer);
        await using Stream content = behaviour == TrainerBehaviour.Slow ? new ThrottledStream(generated, SlowUploadBytesPerSecond) : generated;
        await BlobTransfer.UploadAsync(endpoints.Fleet, content, sha, size, caller, ct);
        await producer;
        return (sha, size, numExamples);
    }

    /// <summary>Random bytes for an init task; for train tasks, round by round: NaN, +infinity, 1000.0 with num_examples 10^12, no tensors at all.</summary>
    private (byte[] Payload, long NumExamples) Poison(FederatedTask task)
    {
        if (task.Kind == TaskKind.Init) return (RandomBytes(task.Round), numExamples);
        using var payload = new MemoryStream();
        var examples = numExamples;
        switch ((task.Round - 1) % 4)
        {
            case 0: model.WriteConstant(payload, float.NaN); break;
            case 1: model.WriteConstant(payload, float.PositiveInfinity); break;
            case 2: model.WriteConstant(payload, 1000f); examples = 1_000_000_000_000; break;
            default: SafetensorsWriter.Write(payload, []); break;
        }
        return (payload.ToArray(), examples);
    }

    private static byte[] RandomBytes(int seed)
    {
        var bytes = new byte[1 << 20];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Repeats <paramref name="call"/> while no SuperLink answers.</summary>
    private async Task<T> WhileOutageAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (SuperLinkEndpoints.IsOutage(e, ct))
            {
                endpoints.Next();
                await Task.Delay(SuperLinkEndpoints.OutageRetry, ct);
            }
        }
    }
}
