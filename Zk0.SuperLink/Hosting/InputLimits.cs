namespace Zk0.SuperLink.Hosting;

/// <summary>
/// Bounds on what a caller may send (section "SuperLink:Limits"). They keep every stored record far below the 4 MiB
/// gRPC message limit, so one oversized value can never make ListRuns or ListNodes unreadable for everyone.
/// </summary>
public sealed class InputLimits
{
    /// <summary>node_id, run_id and task_id (the SuperLink's own ids are under 60 characters).</summary>
    public int MaxIdLength { get; set; } = 128;
    public int MaxDatasetIdLength { get; set; } = 256;
    public int MaxDisplayNameLength { get; set; } = 256;
    public int MaxCapabilities { get; set; } = 64;
    public int MaxCapabilityKeyLength { get; set; } = 128;
    public int MaxCapabilityValueLength { get; set; } = 1024;
    /// <summary>All capability keys and values together, so a node record stays small whatever their mix.</summary>
    public int MaxCapabilitiesLength { get; set; } = 4096;
    /// <summary>Numbers in a node's dataset_stats, all features and their min, max, mean and std together (a 32-joint arm's state and action need 256).</summary>
    public int MaxDatasetStatsValues { get; set; } = 2048;
    public int MaxRunConfigKeys { get; set; } = 256;
    public int MaxRunConfigKeyLength { get; set; } = 128;
    public int MaxRunConfigValueLength { get; set; } = 4096;
    /// <summary>All config keys and values together, so a run record stays small whatever their mix.</summary>
    public int MaxRunConfigLength { get; set; } = 16384;
    /// <summary>Entries of a result's or an evaluation's metrics map (and of an evaluation's per-dataset map).</summary>
    public int MaxMetrics { get; set; } = 256;
    /// <summary>Metric names, and the dataset names of an evaluation's per-dataset scores.</summary>
    public int MaxMetricKeyLength { get; set; } = 256;
    /// <summary>A node's error report longer than this is kept truncated, with a marker (it is the node's own account, so it is not refused).</summary>
    public int MaxErrorLength { get; set; } = 4096;
    /// <summary>Node records kept (live or not yet forgotten); registrations beyond it are refused with ResourceExhausted.</summary>
    public int MaxNodes { get; set; } = 10_000;
}
