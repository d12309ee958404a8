using System.Collections.Concurrent;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Nodes;

/// <summary>
/// An evaluator for drills: pulls evaluate tasks (role "evaluator") and reports each with Control.RecordEvaluation,
/// naming the task, itself and the round's committed model, with a loss that depends on that model alone. It keeps its
/// lease by pulling (as the Evaluator does). When <see cref="DiesAfterPulling"/> says so it dies holding the task:
/// no report, no further call.
/// </summary>
public sealed class DrillEvaluator(SuperLinkEndpoints endpoints)
{

    public string NodeId { get; private set; } = "";
    public Func<FederatedTask, bool> DiesAfterPulling { get; init; } = _ => false;
    /// <summary>Answers of the SuperLink other than success or an outage (a drill's report may name them).</summary>
    public ConcurrentQueue<RpcException> Refusals { get; } = new();
    /// <summary>Set when the evaluator died holding a task.</summary>
    public FederatedTask? DiedHolding { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await RegisterAsync(ct);
            while (true)
            {
                if (await endpoints.PullAsync(NodeId, () => RegisterAsync(ct), Refusals, ct) is not { } pulled) continue;
                if (pulled.Task is not { Kind: TaskKind.Evaluate } task)
                {
                    await Task.Delay(pulled.DelayBeforeNextPull, ct);
                    continue;
                }
                if (DiesAfterPulling(task))
                {
                    DiedHolding = task;
                    return;
                }
                await RecordAsync(task, ct);
            }
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
        }
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                NodeId = (await endpoints.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "drill-evaluation", Role = "evaluator", DisplayName = "drill evaluator" },
                    cancellationToken: ct)).NodeId;
                return;
            }
            catch (RpcException e) when (SuperLinkEndpoints.IsOutage(e, ct))
            {
                endpoints.Next();
                await Task.Delay(SuperLinkEndpoints.OutageRetry, ct);
            }
        }
    }

    /// <summary>Reports the evaluation, again while no SuperLink answers; a round evaluated already (AlreadyExists) is done.</summary>
    private Task RecordAsync(FederatedTask task, CancellationToken ct) =>
        endpoints.AnswerAsync(task, () => endpoints.Control.RecordEvaluationAsync(new RecordEvaluationRequest
        {
            RunId = task.RunId, Round = task.Round, ModelHash = task.GlobalModelHash, Loss = DrillUpdates.EvaluationLoss(task.GlobalModelHash),
            TaskId = task.TaskId, NodeId = NodeId,
        }, cancellationToken: ct).ResponseAsync, Refusals, ct);
}
