namespace Zk0.AppHost.Model;

/// <summary>The declared graph: every resource with its endpoints, references and waits.</summary>
public sealed class AppModel(IReadOnlyList<Resource> resources)
{
    public IReadOnlyList<Resource> Resources { get; } = resources;

    public IEnumerable<ProjectResource> Projects => Resources.OfType<ProjectResource>();

    public Resource this[string name] =>
        Resources.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException(
            $"The app model has no resource named '{name}'. Known: {string.Join(", ", Resources.Select(r => r.Name))}.");

    /// <summary>Resources ordered so that every resource comes after the ones it waits for or references.</summary>
    public IReadOnlyList<Resource> InStartOrder()
    {
        var ordered = new List<Resource>();
        var visiting = new HashSet<Resource>();
        void Visit(Resource resource)
        {
            if (ordered.Contains(resource)) return;
            if (!visiting.Add(resource))
                throw new InvalidOperationException($"The app model has a cycle through '{resource.Name}'.");
            foreach (var dependency in resource.WaitsFor.Concat(resource.References)) Visit(dependency);
            visiting.Remove(resource);
            ordered.Add(resource);
        }
        foreach (var resource in Resources) Visit(resource);
        return ordered;
    }
}
