using TorchSharp;
using Zk0.Federation.Safetensors;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// The policy as the federation sees it: the SuperNode trains it, the Evaluator scores it, and only its
/// trainable tensors travel, as a safetensors payload keyed by tensor name.
/// </summary>
public interface IFederatedPolicy : IDisposable
{
    /// <summary>The registered type name, e.g. <c>behaviour-cloning</c> or <c>smolvla</c>.</summary>
    string PolicyType { get; }

    PolicyFeatures Features { get; }

    /// <summary>The live trainable tensors by name (no copies; do not dispose them).</summary>
    IReadOnlyList<(string Name, torch.Tensor Tensor)> TrainableTensors { get; }

    /// <summary>
    /// Writes the trainable tensors to a safetensors file in the given wire dtype (F32 or BF16), with the named tensors
    /// <paramref name="alongside"/> them (node state that travels with the model, e.g. SCAFFOLD's control variates).
    /// </summary>
    void ExportTrainable(string path, SafetensorsDType wireDType = SafetensorsDType.F32, IReadOnlyList<(string Name, torch.Tensor Tensor)>? alongside = null);

    /// <summary>
    /// Replaces the trainable tensors, and fills those <paramref name="alongside"/> them, with those of a safetensors
    /// file. Every name must be present with the same shape; a mismatch throws naming the file and the tensor, and
    /// leaves everything unchanged. Tensors of the file that are asked for by neither are ignored.
    /// </summary>
    void ImportTrainable(string path, IReadOnlyList<(string Name, torch.Tensor Tensor)>? alongside = null);

    /// <summary>
    /// Saves the whole policy (every tensor, frozen ones included, under LeRobot key names) as a LeRobot checkpoint
    /// directory (<c>config.json</c> + <c>model.safetensors</c>) that this policy type's factory loads back through the
    /// run setting <c>policy-path</c>. The directory is swapped in only once complete.
    /// </summary>
    void SaveCheckpoint(string directory);

    /// <summary>
    /// Runs <c>options.Steps</c> optimizer steps, one per batch, taking batches from <paramref name="batches"/>
    /// (it stops early if they run out). Consumed batches are disposed.
    /// </summary>
    LocalTrainingResult Train(IEnumerable<PolicyBatch> batches, LocalTrainingOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deterministic loss over all batches, without changing the policy. Consumed batches are disposed.</summary>
    PolicyEvaluationResult Evaluate(IEnumerable<PolicyBatch> batches, PolicyEvaluationOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// The action chunk the policy would execute from <paramref name="observation"/>: float32 [B, ChunkSize, ActionDim] on
    /// the CPU, in the units of a batch's <c>Actions</c> (normalized like the dataset loader's). Any random draw (e.g.
    /// flow-matching noise) comes from <paramref name="generator"/>, a CPU generator, so the same seed gives the same
    /// chunk on every device. Does not change the policy. <see cref="RobotUnits"/> converts from and to raw robot units.
    /// </summary>
    torch.Tensor PredictActionChunk(PolicyObservation observation, torch.Generator generator);
}
