namespace Zk0.AppHost.Supervision;

/// <summary>The graph's processes (projects and executables), without the rebuilders Aspire adds beside projects.</summary>
public sealed class SupervisedResources(DistributedApplicationModel model)
{
    private readonly Lazy<HashSet<IResource>> _resources = new(() => model.Resources
        .Where(r => r is ProjectResource or ExecutableResource)
        .Where(r => !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal))
        .ToHashSet());

    public bool Contains(IResource resource) => _resources.Value.Contains(resource);
}
