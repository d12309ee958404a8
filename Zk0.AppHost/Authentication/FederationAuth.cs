using Zk0.AppHost.Graph;
using Zk0.AppHost.Runs;

namespace Zk0.AppHost.Authentication;

/// <summary>
/// What authentication (<c>--auth</c>, always on when publishing) gives the graph: the operator token (a secret
/// parameter; locally the one in <see cref="OperatorTokenFile"/>), the Evaluator's token (locally random per start) and,
/// locally, keys for the AppHost's nodes (<see cref="LocalNodeKeys"/>). A deployment registers its nodes' keys itself.
/// </summary>
public sealed class FederationAuth
{
    public const string OperatorTokenParameter = "operator-token";
    public const string EvaluatorTokenParameter = "evaluator-token";

    private FederationAuth(IResourceBuilder<ParameterResource> operatorToken, IResourceBuilder<ParameterResource> evaluatorToken,
        LocalNodeKeys? keys, IReadOnlyList<IResourceBuilder<ParameterResource>> publishedKeyDirectories, GatewayCredentials runCredentials)
    {
        OperatorToken = operatorToken;
        EvaluatorToken = evaluatorToken;
        Keys = keys;
        PublishedKeyDirectories = publishedKeyDirectories;
        RunCredentials = runCredentials;
    }

    public IResourceBuilder<ParameterResource> OperatorToken { get; }
    public IResourceBuilder<ParameterResource> EvaluatorToken { get; }
    public LocalNodeKeys? Keys { get; }

    /// <summary>
    /// When publishing, node i's key folder as the parameter <c>supernode-i-key-directory</c> (default <c>/keys</c>): the
    /// deployment mounts the node's key there and the admin registers its node.pub.
    /// </summary>
    public IReadOnlyList<IResourceBuilder<ParameterResource>> PublishedKeyDirectories { get; }
    public GatewayCredentials RunCredentials { get; }

    /// <summary>Null when authentication is off (the local demo without <c>--auth</c>).</summary>
    public static FederationAuth? Configure(IDistributedApplicationBuilder builder, bool enabled, LocalStateDirectory state, int nodes, Action<string> say)
    {
        if (!enabled) return null;
        if (builder.ExecutionContext.IsPublishMode)
            return new FederationAuth(builder.AddParameter(OperatorTokenParameter, secret: true), builder.AddParameter(EvaluatorTokenParameter, secret: true),
                keys: null, Enumerable.Range(0, nodes).Select(i => builder.AddParameter($"supernode-{i}-key-directory", "/keys", publishValueAsDefault: true)).ToList(),
                GatewayCredentials.None);

        var (token, path) = OperatorTokenFile.LoadOrCreate(Directory.GetCurrentDirectory());
        say($"authentication is on: the operator token is in {path}; export ZK0_TOKEN=$(cat {OperatorTokenFile.RelativePath})");
        var keys = LocalNodeKeys.Create(state, nodes);
        return new FederationAuth(
            builder.AddParameter(OperatorTokenParameter, token, secret: true),
            builder.AddParameter(EvaluatorTokenParameter, Zk0.Federation.Security.OperatorCredential.NewToken(), secret: true),
            keys, [], new GatewayCredentials(token, keys.AppHostKeyDirectory));
    }
}
