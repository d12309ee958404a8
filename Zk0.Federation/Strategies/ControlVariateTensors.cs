namespace Zk0.Federation.Strategies;

/// <summary>
/// SCAFFOLD's control variates travel in the model files beside the weights, one per weight tensor under this prefix:
/// a node's update carries its own (<c>c_i</c>), and averaging the updates (FedAvg, FedProx) makes the federation's
/// (<c>c</c>) in the next global model. They are node state, not model: no part of an update's distance from the model.
/// </summary>
public static class ControlVariateTensors
{
    public const string Prefix = "scaffold.control/";

    public static string For(string weightName) => Prefix + weightName;

    public static bool Is(string tensorName) => tensorName.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The strategies whose aggregate of the control variates is their (weighted) mean, as SCAFFOLD needs.</summary>
    public static IReadOnlySet<string> AveragingStrategies { get; } = new HashSet<string>(StringComparer.Ordinal) { "fedavg", "fedprox" };
}
