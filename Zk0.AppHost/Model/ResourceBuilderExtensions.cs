namespace Zk0.AppHost.Model;

/// <summary>The Aspire-style fluent calls a graph declaration uses.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source)
        where T : Resource
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    /// <summary>An endpoint named "http" (scheme http); transport "http2" marks a gRPC (h2c) endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, int? port = null, string transport = "http")
    {
        builder.Resource.Endpoints.Add(new EndpointSpec("http", "http", transport, port));
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        var endpoints = builder.Resource.Endpoints;
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i].Scheme is "http" or "https") endpoints[i] = endpoints[i] with { External = true };
        }
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string key, EnvValue value)
        where T : Resource
    {
        builder.Resource.Environment.Add(new(key, value));
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string key, IResourceBuilder<ParameterResource> parameter)
        where T : Resource =>
        builder.WithEnvironment(key, EnvValue.Of(new ParameterPart(parameter.Resource)));

    public static IResourceBuilder<ProjectResource> WithReplicaEnvironment(
        this IResourceBuilder<ProjectResource> builder, string key, Func<int, string> valueForReplica)
    {
        builder.Resource.ReplicaEnvironment.Add(new(key, valueForReplica));
        return builder;
    }
}
