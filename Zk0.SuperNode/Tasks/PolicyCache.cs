using Zk0.Policy.Abstractions;

namespace Zk0.SuperNode.Tasks;

/// <summary>
/// Keeps the last built policy so a run's rounds reuse it (building SmolVLA is expensive); every train
/// task overwrites its trainable tensors with the round's global model anyway. A run's config is fixed at submission, so
/// the run, policy type and seed name the policy; what the SuperLink writes into each round's tasks (server-round, the
/// scheduled learning rate and μ) trains it differently but builds the same one. The run's SCAFFOLD correction, node-local
/// state carried from round to round, lives and resets with it.
/// </summary>
public sealed class PolicyCache(PolicyCatalog catalog) : IDisposable
{
    private string? _key;
    private RunPolicy? _current;

    public IReadOnlyCollection<string> PolicyTypes => catalog.PolicyTypes;

    public RunPolicy For(string runId, RunSettings settings, PolicyFeatures features, TorchSharp.torch.Device device)
    {
        var key = $"{runId}|{settings.PolicyType}|{settings.Seed}";
        if (_key == key && _current is not null) return _current;
        Dispose();
        _current = null;
        var policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));
        _current = new RunPolicy(policy, settings.Scaffold ? new ScaffoldCorrection(policy.TrainableTensors) : null);
        _key = key;
        return _current;
    }

    /// <summary>A fresh policy for the run's initial model, never cached: its weights must come from the seed alone.</summary>
    public IFederatedPolicy CreateInitial(RunSettings settings, PolicyFeatures features, TorchSharp.torch.Device device) =>
        catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));

    public void Dispose()
    {
        _current?.Policy.Dispose();
        _current?.DriftCorrection?.Dispose();
    }
}

/// <summary>A run's policy on this node, with its SCAFFOLD correction when the run asks for one.</summary>
public sealed record RunPolicy(IFederatedPolicy Policy, ScaffoldCorrection? DriftCorrection);
