namespace Zk0.Evaluator.Checkpoints;

/// <summary>A run's committed model as a tar of its LeRobot checkpoint folder, open for reading (the caller disposes it).</summary>
public sealed record CheckpointArchive(CommittedModel Model, Stream Content) : IDisposable
{
    public void Dispose() => Content.Dispose();
}
