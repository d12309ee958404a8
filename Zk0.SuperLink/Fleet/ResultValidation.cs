using Zk0.Federation.Runs;
using Zk0.Federation.Validation;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Fleet;

/// <summary>
/// Checks what a node answered before it is recorded as a usable result: an init task's model must be adoptable, a train
/// task's update must match the round's global model (<see cref="UpdateValidator"/>) and count a plausible number of examples.
/// </summary>
internal static class ResultValidation
{
    /// <summary>Null when the result may be used; otherwise why not. Reads the blob chunk by chunk, off the caller's thread.</summary>
    public static Task<string?> CheckAsync(TaskRecord task, NodeRecord node, RunRecord run, string updateHash, long numExamples, FileBlobStore blobs, CancellationToken ct)
    {
        if (task.Kind == TaskKinds.Init) return Task.Run(() => ModelValidator.Check(blobs.PathOf(updateHash)), ct);
        if (numExamples < 1)
            return Task.FromResult<string?>($"num_examples is {numExamples}: a train result must count the examples it was trained on (at least 1)");
        if (node.NumExamples > 0 && numExamples > node.NumExamples)
            return Task.FromResult<string?>($"num_examples is {numExamples}, more than the {node.NumExamples} examples node '{node.NodeId}' registered with");
        var rules = UpdateRules.Of(RunConfiguration.Parse(run.Config));
        return Task.Run(() => UpdateValidator.Check(blobs.PathOf(updateHash), blobs.PathOf(task.GlobalModelHash), rules), ct);
    }
}
