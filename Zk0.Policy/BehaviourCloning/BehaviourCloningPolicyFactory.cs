using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>Builds the behaviour-cloning policy; the seed alone fixes the initial weights.</summary>
public sealed class BehaviourCloningPolicyFactory : IPolicyFactory
{
    public const string TypeName = "behaviour-cloning";

    public string PolicyType => TypeName;

    public IFederatedPolicy Create(PolicyCreateOptions options)
    {
        options.Features.Validate();
        var settings = BehaviourCloningSettings.From(options.Settings);
        var network = new BehaviourCloningNetwork(options.Features, settings);
        SeededInitialization.Apply(network, options.Seed);
        return new ModulePolicy(TypeName, options.Features, network, options.Device);
    }
}
