using Zk0.Policy.Abstractions;

namespace Zk0.SuperNode.Tasks;

/// <summary>
/// Keeps the last built policy so a run's rounds reuse it (building SmolVLA is expensive); every train
/// task overwrites its trainable tensors with the round's global model anyway. A run's config is fixed at submission, so
/// the run, policy type and seed name the policy; what the SuperLink writes into each round's tasks (server-round, the
/// scheduled learning rate and μ) trains it differently but builds the same one. The run's SCAFFOLD correction, node-local
/// state carried from round to round, lives beside it.
/// </summary>
public sealed class PolicyCache(PolicyCatalog catalog) : IDisposable
{
    private string? _key;
    private IFederatedPolicy? _policy;
    private ScaffoldCorrection? _correction;

    public IReadOnlyCollection<string> PolicyTypes => catalog.PolicyTypes;

    public IFederatedPolicy For(string runId, RunSettings settings, PolicyFeatures features, TorchSharp.torch.Device device)
    {
        var key = $"{runId}|{settings.PolicyType}|{settings.Seed}";
        if (_key == key && _policy is not null) return _policy;
        _policy?.Dispose();
        _policy = null;
        _correction?.Dispose();
        _correction = null;
        _policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));
        _key = key;
        return _policy;
    }

    /// <summary>The SCAFFOLD correction of the policy <see cref="For"/> last returned: it lives and resets with that run's policy.</summary>
    public ScaffoldCorrection CorrectionOfCurrentRun() =>
        _policy is null ? throw new InvalidOperationException("No run's policy is cached yet.") : _correction ??= new ScaffoldCorrection();

    /// <summary>A fresh policy for the run's initial model, never cached: its weights must come from the seed alone.</summary>
    public IFederatedPolicy CreateInitial(RunSettings settings, PolicyFeatures features, TorchSharp.torch.Device device) =>
        catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));

    public void Dispose()
    {
        _policy?.Dispose();
        _correction?.Dispose();
    }
}
