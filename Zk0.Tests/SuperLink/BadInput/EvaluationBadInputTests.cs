using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Rounds;
using static Zk0.Tests.SuperLink.BadInput.Rejections;

namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>
/// Evaluations count only as the answer to an evaluate task the SuperLink handed to the reporting node: forged ones are
/// refused and recorded nowhere, so the run alongside (its round 1 awaiting its evaluation) keeps waiting for the real one.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class EvaluationBadInputTests(RunAlongside run)
{
    private RecordEvaluationRequest Evaluation(string taskId, string nodeId, int round = 1) =>
        new() { RunId = run.RunId, Round = round, ModelHash = run.Round1Model, Loss = 0.5, TaskId = taskId, NodeId = nodeId };

    [Fact]
    public async Task AnEvaluationNamingNoTaskIsRefused()
    {
        var node = await run.RegisterProbeAsync("no-task");
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation("", node)).ResponseAsync, StatusCode.InvalidArgument, "task_id is empty", run.RunId, "PullTask");
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation("task-invented", node)).ResponseAsync, StatusCode.NotFound, "task-invented", "PullTask");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationByANodeOtherThanTheTaker()
    {
        var taker = await run.RegisterProbeAsync("taker");
        var forger = await run.RegisterProbeAsync("forger");
        var task = await run.GiveTaskAsync(run.RunId, taker, TaskKinds.Evaluate, 1, run.Round1Model);
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation(task, forger)).ResponseAsync, StatusCode.PermissionDenied, task, taker, forger);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationOfATaskNotYetHandedOut()
    {
        var node = await run.RegisterProbeAsync("not-pulled");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Evaluate, 1, run.Round1Model, pull: false);
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation(task, node)).ResponseAsync, StatusCode.FailedPrecondition, task, "not been handed out");
        Assert.Equal(task, (await run.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node })).Task.TaskId); // leaves the queue clean
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationOfAnotherModelThanTheRoundCommitted()
    {
        var node = await run.RegisterProbeAsync("wrong-model");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Evaluate, 1, run.Round1Model);
        var request = Evaluation(task, node);
        request.ModelHash = new string('f', 64);
        await Rejected(() => run.Control.RecordEvaluationAsync(request).ResponseAsync, StatusCode.InvalidArgument, run.Round1Model, request.ModelHash);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationWithANaNLoss()
    {
        var node = await run.RegisterProbeAsync("nan");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Evaluate, 1, run.Round1Model);
        var request = Evaluation(task, node);
        request.Loss = double.NaN;
        await Rejected(() => run.Control.RecordEvaluationAsync(request).ResponseAsync, StatusCode.InvalidArgument, "NaN", "not a finite number");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationNamingAnotherRoundThanItsTask()
    {
        var node = await run.RegisterProbeAsync("wrong-round");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Evaluate, 1, run.Round1Model);
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation(task, node, round: 2)).ResponseAsync, StatusCode.InvalidArgument, task, "round 1", "round 2");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationAnsweringATrainTask()
    {
        var node = await run.RegisterProbeAsync("train-task");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Train, 1000, run.Round1Model);
        await Rejected(() => run.Control.RecordEvaluationAsync(Evaluation(task, node, round: 1000)).ResponseAsync, StatusCode.FailedPrecondition, task, "not an evaluate task", "PushResult");
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationForAFinishedRun()
    {
        var node = await run.RegisterProbeAsync("finished");
        var finished = run.Reference.Summary.RunId;
        var request = new RecordEvaluationRequest { RunId = finished, Round = 1, ModelHash = run.Reference.Rounds[0].ModelHash, Loss = 0.1, TaskId = "t", NodeId = node };
        await Rejected(() => run.Control.RecordEvaluationAsync(request).ResponseAsync, StatusCode.FailedPrecondition, finished, "ended");
        Assert.Equal(run.Reference.Rounds[0].Eval.Loss, (await run.Control.GetRunAsync(new GetRunRequest { RunId = finished })).Rounds[0].Eval.Loss);
        await run.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnEvaluationWithTooManyOrOversizedMetrics()
    {
        var node = await run.RegisterProbeAsync("metrics");
        var task = await run.GiveTaskAsync(run.RunId, node, TaskKinds.Evaluate, 1, run.Round1Model);
        var request = Evaluation(task, node);
        for (var i = 0; i <= run.Options.Limits.MaxMetrics; i++) request.Datasets[$"dataset-{i}"] = new DatasetEvaluation { Loss = 1 };
        await Rejected(() => run.Control.RecordEvaluationAsync(request).ResponseAsync, StatusCode.InvalidArgument, "datasets", "MaxMetrics");
        request.Datasets.Clear();
        request.Metrics[Huge(run.Options.Limits.MaxMetricKeyLength + 1)] = 1;
        await Rejected(() => run.Control.RecordEvaluationAsync(request).ResponseAsync, StatusCode.InvalidArgument, "metrics key", "MaxMetricKeyLength");
        await run.AssertUnharmedAsync();
    }
}
