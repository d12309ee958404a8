using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Policy.Abstractions;

/// <summary>The policy types a process can build, looked up by the run's <c>policy-type</c> setting.</summary>
public sealed class PolicyCatalog(IEnumerable<IPolicyFactory> factories)
{
    private readonly Dictionary<string, IPolicyFactory> _factories =
        factories.ToDictionary(f => f.PolicyType, StringComparer.OrdinalIgnoreCase);

    /// <summary>The policy types this project ships: SmolVLA and behaviour cloning.</summary>
    public static PolicyCatalog Builtin() => new([new SmolVlaPolicyFactory(), new BehaviourCloningPolicyFactory()]);

    public IReadOnlyCollection<string> PolicyTypes => _factories.Keys;

    public IFederatedPolicy Create(string policyType, PolicyCreateOptions options)
    {
        if (!_factories.TryGetValue(policyType, out var factory))
        {
            throw new ArgumentException(
                $"Unknown policy type '{policyType}'. Known policy types: {string.Join(", ", _factories.Keys.Order())}. " +
                "Set the run's 'policy-type' to one of them.");
        }
        options.Features.Validate();
        return factory.Create(options);
    }
}
