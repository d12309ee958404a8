using Zk0.Policy.Abstractions;

namespace Zk0.SuperNode.Tasks;

/// <summary>Puts each training step of a round into the node's status (its <c>GET /</c> and <c>zk0 node start</c>'s status line).</summary>
public sealed class StepProgress(NodeStatus status, int round) : IProgress<TrainingStep>
{
    public void Report(TrainingStep value) =>
        status.Progressed(_ => new TaskProgress(round, value.Step, value.Steps, value.Loss));
}
