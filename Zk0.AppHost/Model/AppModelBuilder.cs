namespace Zk0.AppHost.Model;

/// <summary>Declares resources the way an Aspire AppHost does (<c>AddRedis</c>, <c>AddProject</c>, ...).</summary>
public sealed class AppModelBuilder
{
    private readonly List<Resource> _resources = [];

    public IResourceBuilder<ParameterResource> AddParameter(string name, bool secret = false, string? defaultValue = null) =>
        Add(new ParameterResource(name, secret, defaultValue));

    public IResourceBuilder<RedisResource> AddRedis(string name)
    {
        var password = AddParameter($"{name}-password", secret: true).Resource;
        return Add(new RedisResource(name, password));
    }

    public IResourceBuilder<ProjectResource> AddProject(string name, string projectName) =>
        Add(new ProjectResource(name, projectName));

    public AppModel Build() => new(_resources.ToList());

    private ResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource);
    }

    private sealed record ResourceBuilder<T>(T Resource) : IResourceBuilder<T> where T : Resource;
}

public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }
}
