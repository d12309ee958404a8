namespace Zk0.Federation.Runs;

/// <summary>The Flower/zk0-style run configuration keys the SuperLink itself reads. Other keys travel to nodes unchanged.</summary>
public static class RunConfigKeys
{
    public const string NumServerRounds = "num-server-rounds";
    public const string FractionTrain = "fraction-train";
    public const string MinTrainNodes = "min-train-nodes";
    public const string Seed = "seed";
    public const string Strategy = "strategy";
    public const string RoundTimeoutSeconds = "round-timeout-seconds";
    public const string EvalTimeoutSeconds = "eval-timeout-seconds";
    public const string NodeWaitTimeoutSeconds = "node-wait-timeout-seconds";
    public const string ServerEval = "server-eval";
    public const string EvalFrequency = "eval-frequency";
    public const string InitialModel = "initial-model";
    public const string LocalSteps = "local-steps";
    public const string BatchSize = "batch-size";
    public const string WireDType = "wire-dtype";
    public const string MaxUpdateNorm = "max-update-norm";
    /// <summary><c>scaffold</c> sends SCAFFOLD's control variates beside the weights; the nodes read it (RunSettings).</summary>
    public const string DriftCorrection = "drift-correction";
    /// <summary>
    /// The run's normalization statistics (LeRobot stats.json layout); set it to normalize with given statistics (e.g. a
    /// pretrained checkpoint's), otherwise the SuperLink pools the round-1 trainers' and adds it to their tasks.
    /// </summary>
    public const string NormalizationStats = "normalization-stats";
}
