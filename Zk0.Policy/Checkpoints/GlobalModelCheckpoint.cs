using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Turns a run's global model (a safetensors file of the trainable tensors only) into a full LeRobot checkpoint
/// directory that loads as <c>policy-path</c>: the run's policy is built as nodes build it (policy settings and seed from
/// the run config, shapes from the dataset features, so the frozen tensors agree), the model's trainable tensors are
/// imported, and the whole state dict is written with extra files (a model card).
/// </summary>
/// <remarks>
/// The policy is built once and reused for every model of the run written through this instance. With the
/// normalization the run's data loader applies, the folder also gets LeRobot 0.4's processor files and train config
/// (without the dataset's location: model folders are published, federation datasets are not).
/// </remarks>
public sealed class GlobalModelCheckpoint(
    PolicyCatalog catalog, IReadOnlyDictionary<string, string> runConfig, PolicyFeatures features,
    CheckpointNormalization? normalization = null) : IDisposable
{
    private IFederatedPolicy? _policy;
    private bool _disposed;

    public void Write(string modelPath, string directory, IReadOnlyDictionary<string, string> extraFiles)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var policy = _policy ??= BuildPolicy();
        policy.ImportTrainable(modelPath);
        var run = normalization is null ? null : new CheckpointTrainingRun(normalization, RunSettings.From(runConfig));
        PolicyCheckpointWriter.Write(policy, directory, extraFiles, run);
    }

    private IFederatedPolicy BuildPolicy()
    {
        var settings = RunSettings.From(runConfig);
        return catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed));
    }

    public void Dispose()
    {
        _disposed = true;
        _policy?.Dispose();
        _policy = null;
    }
}
