using Microsoft.Extensions.Configuration;
using Zk0.Datasets.Simulation;
using Zk0.Policy.Evaluation;

namespace Zk0.AppHost;

/// <summary>Which dataset each local SuperNode trains on: by default the built-in synthetic task i for node i.</summary>
public static class NodeDatasets
{
    /// <summary>Demonstrations per local node: with fewer the policy over-fits before it can grasp (docs/learning.md).</summary>
    public const int Episodes = 150;

    /// <summary>The demonstrations' recovery wobble in degrees (<c>recovery=</c>): they show the way back to the cube (docs/learning.md).</summary>
    public const float RecoveryDegrees = 2;

    public static string Default(int nodeIndex) =>
        (SyntheticDatasetUri.ForNode(nodeIndex, Episodes) with { RecoveryNoiseDegrees = RecoveryDegrees }).ToString();

    /// <summary>The display name local node i registers with (how the AppHost tells its nodes apart in the Control API).</summary>
    public static string DisplayName(int nodeIndex) => $"node-{nodeIndex}";

    /// <summary>
    /// The dataset of node <paramref name="nodeIndex"/> as a parameter an operator sets
    /// (<c>--Parameters:supernode-0-dataset=local:/data/mine</c>, appsettings or the deployment's
    /// parameters); the built-in synthetic task otherwise.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddDatasetParameter(this IDistributedApplicationBuilder builder, int nodeIndex)
    {
        return builder.AddParameter(ParameterName(nodeIndex), () => Configured(builder.Configuration, nodeIndex), publishValueAsDefault: true);
    }

    private static string ParameterName(int nodeIndex) => $"supernode-{nodeIndex}-dataset";

    /// <summary>The dataset node <paramref name="nodeIndex"/> trains on: its parameter when set, else the built-in task.</summary>
    public static string Configured(IConfiguration configuration, int nodeIndex) =>
        configuration[$"Parameters:{ParameterName(nodeIndex)}"] ?? Default(nodeIndex);

    /// <summary>
    /// The Evaluator also scores tasks no local node trains on, reported apart from the nodes' own
    /// (<see cref="UnseenTasks.Default"/>: with 4 synthetic nodes, the synthetic tasks 4 and 5).
    /// </summary>
    /// <remarks>
    /// Run mode only: a published deployment sets the nodes' datasets when it deploys, after this list would be fixed;
    /// there a run names its unseen tasks with <c>eval-unseen-datasets</c>.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithUnseenDatasets(this IResourceBuilder<ProjectResource> evaluator, IReadOnlyList<string> nodeDatasets)
    {
        if (!evaluator.ApplicationBuilder.ExecutionContext.IsRunMode) return evaluator;
        var unseen = UnseenTasks.Default(nodeDatasets);
        for (var i = 0; i < unseen.Count; i++) evaluator.WithEnvironment($"Evaluator__UnseenDatasets__{i}", unseen[i]);
        return evaluator;
    }

    /// <summary>The Evaluator scores held-out episodes of every node's dataset.</summary>
    /// <param name="chosen">The AppHost's --eval-datasets; when empty the nodes' datasets, and with no local node the built-in synthetic tasks.</param>
    public static IResourceBuilder<ProjectResource> WithHeldOutDatasets(this IResourceBuilder<ProjectResource> evaluator,
        IReadOnlyList<IResourceBuilder<ParameterResource>> datasets, IReadOnlyList<string> chosen)
    {
        if (chosen.Count > 0 || datasets.Count == 0)
        {
            var uris = chosen.Count > 0 ? chosen : Enumerable.Range(0, BuiltinTasksWithoutNodes).Select(Default).ToList();
            for (var i = 0; i < uris.Count; i++) evaluator.WithEnvironment($"Evaluator__Datasets__{i}", uris[i]);
            return evaluator;
        }
        for (var i = 0; i < datasets.Count; i++) evaluator.WithEnvironment($"Evaluator__Datasets__{i}", datasets[i]);
        return evaluator;
    }

    /// <summary>What the Evaluator of a federation's side without local nodes scores on, unless told: the default run's four tasks.</summary>
    public const int BuiltinTasksWithoutNodes = 4;
}
