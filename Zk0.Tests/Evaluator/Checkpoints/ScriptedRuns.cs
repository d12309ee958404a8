using System.Collections.Concurrent;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Evaluator.Checkpoints;

/// <summary>The Control API's GetRun as a real gRPC service answering the runs a test puts in, NotFound (as the SuperLink) for others.</summary>
public sealed class ScriptedRuns : Control.ControlBase
{
    public ConcurrentDictionary<string, RunDetail> Runs { get; } = new();

    public override Task<RunDetail> GetRun(GetRunRequest request, ServerCallContext context) =>
        Runs.TryGetValue(request.RunId, out var run)
            ? Task.FromResult(run)
            : throw new RpcException(new Status(StatusCode.NotFound, $"Run '{request.RunId}' does not exist: ListRuns shows the runs this federation knows."));
}
