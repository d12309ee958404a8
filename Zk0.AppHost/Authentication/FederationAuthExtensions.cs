namespace Zk0.AppHost.Authentication;

/// <summary>Each service's share of <see cref="FederationAuth"/>; with none (authentication off) the resource is left as it is.</summary>
public static class FederationAuthExtensions
{
    public static IResourceBuilder<ProjectResource> WithSuperLinkAuth(this IResourceBuilder<ProjectResource> superlink, FederationAuth? auth)
    {
        if (auth is null) return superlink;
        superlink.WithEnvironment("SuperLink__Auth__NodeAuthentication", "true")
            .WithEnvironment("SuperLink__Auth__EvaluatorToken", auth.EvaluatorToken);
        return auth.Keys is { } keys ? superlink.WithEnvironment("SuperLink__Auth__NodeKeysDirectory", keys.PublicKeysDirectory) : superlink;
    }

    public static IResourceBuilder<ProjectResource> WithEvaluatorAuth(this IResourceBuilder<ProjectResource> evaluator, FederationAuth? auth) =>
        auth is null ? evaluator : evaluator.WithEnvironment("Evaluator__Token", auth.EvaluatorToken);

    public static IResourceBuilder<ProjectResource> WithGatewayAuth(this IResourceBuilder<ProjectResource> gateway, FederationAuth? auth) =>
        auth is null
            ? gateway
            : gateway.WithEnvironment("Gateway__Auth__NodeAuthentication", "true").WithEnvironment("Gateway__Auth__OperatorToken", auth.OperatorToken);

    /// <summary>Node <paramref name="index"/> signs its Fleet calls with its local key, or when published with the key the deployment mounts.</summary>
    public static IResourceBuilder<ProjectResource> WithNodeAuth(this IResourceBuilder<ProjectResource> node, FederationAuth? auth, int index) => auth switch
    {
        null => node,
        { Keys: { } keys } => node.WithEnvironment("SuperNode__KeyDirectory", keys.NodeKeyDirectories[index]),
        _ => node.WithEnvironment("SuperNode__KeyDirectory", auth.PublishedKeyDirectories[index]),
    };
}
