namespace Zk0.Datasets.Simulation;

/// <summary>Watches closed-loop episodes as they run: the scene at the start, after every step, and the outcome.</summary>
public interface IRolloutObserver
{
    void EpisodeStarted(int episode, int seed, ArmSimulator simulator);

    void Stepped(int episode, ArmSimulator simulator, float[] action);

    void EpisodeEnded(ClosedLoopEpisode outcome, ArmSimulator simulator);
}
