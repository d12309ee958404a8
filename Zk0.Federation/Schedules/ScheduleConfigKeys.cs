namespace Zk0.Federation.Schedules;

/// <summary>Run-config keys of the node-side learning-rate schedule and the server-side μ/LR adaptation.</summary>
public static class ScheduleConfigKeys
{
    /// <summary>The nodes' base learning rate (the key the nodes read); the schedule rewrites it per round.</summary>
    public const string LearningRate = "learning-rate";

    /// <summary>constant | cosine-warmup | cosine-restarts.</summary>
    public const string LrSchedule = "lr-schedule";

    /// <summary>cosine-warmup: rounds of linear warm-up before the cosine decay (default: 10% of the rounds, at least 1).</summary>
    public const string WarmupRounds = "warmup-rounds";

    /// <summary>Cosine schedules: the floor of the decay (default: 10% of the base learning rate).</summary>
    public const string MinLearningRate = "min-learning-rate";

    /// <summary>cosine-restarts: rounds in the first cycle (SGDR's T₀).</summary>
    public const string RestartPeriod = "restart-period";

    /// <summary>cosine-restarts: each cycle is this many times longer than the one before (SGDR's T_mult, an integer ≥ 1).</summary>
    public const string RestartMultiplier = "restart-multiplier";

    /// <summary>none | eval-trend | mu-halving | plateau.</summary>
    public const string Adaptation = "adaptation";

    /// <summary>eval-trend: relative improvement over three evaluations below which training has stalled (zk0: 0.01).</summary>
    public const string StallThreshold = "stall-threshold";

    /// <summary>eval-trend: relative worsening over three evaluations above which training diverges (zk0: 0.05).</summary>
    public const string DivergenceThreshold = "divergence-threshold";

    /// <summary>eval-trend: μ and LR are multiplied by this on a stall (zk0: 0.8).</summary>
    public const string StallFactor = "stall-factor";

    /// <summary>eval-trend: μ and LR are multiplied by this on a divergence (zk0: 1.1).</summary>
    public const string DivergenceFactor = "divergence-factor";

    public const string AdaptLrMin = "adapt-lr-min";
    public const string AdaptLrMax = "adapt-lr-max";
    public const string AdaptMuMin = "adapt-mu-min";
    public const string AdaptMuMax = "adapt-mu-max";

    /// <summary>mu-halving: μ is halved every this many rounds (zk0: 10).</summary>
    public const string MuHalvingRounds = "mu-halving-rounds";

    /// <summary>plateau: evaluations without improvement tolerated before the learning rate is cut (torch's patience; default 2).</summary>
    public const string PlateauPatience = "plateau-patience";

    /// <summary>plateau: an evaluation improves on the best only when lower than best·(1 − this) (default 1e-4).</summary>
    public const string PlateauThreshold = "plateau-threshold";

    /// <summary>plateau: the learning rate is multiplied by this on a plateau (default 0.5).</summary>
    public const string PlateauFactor = "plateau-factor";

    /// <summary>A round whose server eval loss is more than this (relative) above the last adopted round's is not adopted (default: off).</summary>
    public const string LossSpikeThreshold = "loss-spike-threshold";

    /// <summary>A node whose training loss stalls gets its learning rate multiplied by this (default: off).</summary>
    public const string NodeLrBoost = "node-lr-boost";

    /// <summary>node-lr-boost: the last rounds of a node's own losses that are compared (first with last; default 3).</summary>
    public const string NodeStallRounds = "node-stall-rounds";

    /// <summary>node-lr-boost: relative improvement over node-stall-rounds below which a node has stalled (default 0.01).</summary>
    public const string NodeStallThreshold = "node-stall-threshold";
}
