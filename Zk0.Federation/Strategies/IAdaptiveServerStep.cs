namespace Zk0.Federation.Strategies;

/// <summary>
/// A strategy whose server optimizer divides each coordinate of the averaged update by its own running size (FedAdam,
/// FedYogi, FedAdagrad): its step per round is about <see cref="ServerLearningRate"/> whatever the nodes' learning rate.
/// </summary>
public interface IAdaptiveServerStep
{
    /// <summary>η, the run's <c>server-learning-rate</c> or the strategy's default.</summary>
    double ServerLearningRate { get; }
}
