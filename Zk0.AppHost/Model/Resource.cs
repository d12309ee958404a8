namespace Zk0.AppHost.Model;

/// <summary>A named thing in the app model: Redis, a project, or a parameter.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    public List<EndpointSpec> Endpoints { get; } = [];

    /// <summary>Resources whose connection string or endpoints this one is given.</summary>
    public List<Resource> References { get; } = [];

    /// <summary>Resources that must be running and healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Environment this resource is given on top of the Aspire contract, in declaration order.</summary>
    public List<KeyValuePair<string, EnvValue>> Environment { get; } = [];

    public EndpointSpec GetEndpoint(string endpointName) =>
        Endpoints.FirstOrDefault(e => e.Name == endpointName)
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{endpointName}'.");

    public override string ToString() => Name;
}
