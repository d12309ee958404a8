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
}
