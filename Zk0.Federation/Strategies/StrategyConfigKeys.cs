namespace Zk0.Federation.Strategies;

/// <summary>Run-config keys the strategies read (Flower's parameter names in kebab-case).</summary>
public static class StrategyConfigKeys
{
    /// <summary>FedProx μ; sent to the nodes, which add μ/2·‖w − w_global‖² to their loss.</summary>
    public const string ProximalMu = "proximal-mu";

    /// <summary>Server learning rate: FedAvgM's server_learning_rate, the FedOpt family's eta.</summary>
    public const string ServerLearningRate = "server-learning-rate";

    /// <summary>FedAvgM's server momentum.</summary>
    public const string ServerMomentum = "server-momentum";

    public const string Beta1 = "beta-1";
    public const string Beta2 = "beta-2";

    /// <summary>The FedOpt family's tau (degree of adaptability).</summary>
    public const string Tau = "tau";

    /// <summary>FedTrimmedAvg's beta: the fraction cut from each end per coordinate.</summary>
    public const string TrimmedBeta = "trimmed-beta";

    /// <summary>Krum's f: how many of the updates may be malicious.</summary>
    public const string NumMaliciousNodes = "num-malicious-nodes";

    /// <summary>MultiKrum's m: how many of the best-scored updates are averaged.</summary>
    public const string NumNodesToKeep = "num-nodes-to-keep";
}
