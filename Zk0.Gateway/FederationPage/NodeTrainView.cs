using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>A node's report for a round; <c>Error</c> is set when it failed or its update was rejected.</summary>
public sealed record NodeTrainView(string NodeId, long NumExamples, IReadOnlyDictionary<string, double> Metrics, string Error)
{
    public static NodeTrainView From(NodeTrainResult result) =>
        new(result.NodeId, result.NumExamples, FiniteValues.Of(result.Metrics), result.Error);
}
