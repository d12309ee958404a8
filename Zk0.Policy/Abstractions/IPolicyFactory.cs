namespace Zk0.Policy.Abstractions;

/// <summary>Builds one policy type. Two calls with the same options give identical initial weights.</summary>
public interface IPolicyFactory
{
    string PolicyType { get; }

    IFederatedPolicy Create(PolicyCreateOptions options);
}
