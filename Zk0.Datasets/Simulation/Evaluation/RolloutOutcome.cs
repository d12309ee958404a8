namespace Zk0.Datasets.Simulation;

/// <summary>Where an evaluation episode stands on a video frame.</summary>
public enum RolloutOutcome
{
    Running,
    Succeeded,
    Failed,
}
