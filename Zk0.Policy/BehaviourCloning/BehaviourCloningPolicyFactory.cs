using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// Builds the behaviour-cloning policy: from the checkpoint directory in <c>policy-path</c> (one saved by
/// <see cref="IFederatedPolicy.SaveCheckpoint"/>), or with weights fixed by the seed alone.
/// </summary>
public sealed class BehaviourCloningPolicyFactory : IPolicyFactory
{
    public const string TypeName = "behaviour-cloning";

    public string PolicyType => TypeName;

    public IFederatedPolicy Create(PolicyCreateOptions options)
    {
        options.Features.Validate();
        var path = options.Settings.TryGetValue(RunSettings.PolicyPathKey, out var p) && !string.IsNullOrWhiteSpace(p) ? p.Trim() : null;
        return path is null ? CreateSeeded(options) : Load(path, options);
    }

    private static ModulePolicy CreateSeeded(PolicyCreateOptions options)
    {
        var settings = BehaviourCloningSettings.From(options.Settings);
        var network = new BehaviourCloningNetwork(options.Features, settings);
        SeededInitialization.Apply(network, options.Seed);
        return new ModulePolicy(TypeName, options.Features, network, options.Device, BehaviourCloningCheckpoint.Config(options.Features, settings));
    }

    private static ModulePolicy Load(string directory, PolicyCreateOptions options)
    {
        using var checkpoint = LeRobotCheckpoint.Open(directory);
        // Refuses a folder whose processor files are incomplete, as LeRobot would.
        CheckpointNormalizationReader.ReadIfPresent(checkpoint);
        var settings = BehaviourCloningCheckpoint.ReadSettings(checkpoint, options.Features);
        var network = new BehaviourCloningNetwork(options.Features, settings);
        try
        {
            checkpoint.LoadInto(ModulePolicy.StateTensors(network));
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return new ModulePolicy(TypeName, options.Features, network, options.Device, BehaviourCloningCheckpoint.Config(options.Features, settings));
    }
}
