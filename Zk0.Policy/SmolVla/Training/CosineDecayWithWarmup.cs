namespace Zk0.Policy.SmolVla.Training;

/// <summary>
/// LeRobot's <c>CosineDecayWithWarmupSchedulerConfig</c> learning rate: linear warm-up from peak/(warmup+1), then
/// cosine decay to <c>decay_lr</c> over <c>decay_steps</c>.
/// </summary>
public sealed record CosineDecayWithWarmup(double PeakLr, double DecayLr, int WarmupSteps, int DecaySteps)
{
    public static CosineDecayWithWarmup From(Configuration.SmolVlaConfig c) =>
        new(c.OptimizerLr, c.SchedulerDecayLr, c.SchedulerWarmupSteps, c.SchedulerDecaySteps);

    public double LearningRate(int step) => PeakLr * Factor(step);

    private double Factor(int step)
    {
        if (step < WarmupSteps)
        {
            if (step <= 0) return 1.0 / (WarmupSteps + 1);
            var fraction = 1 - step / (double)WarmupSteps;
            return (1.0 / (WarmupSteps + 1) - 1) * fraction + 1;
        }
        var clamped = Math.Min(step, DecaySteps);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * clamped / DecaySteps));
        var alpha = DecayLr / PeakLr;
        return (1 - alpha) * cosine + alpha;
    }
}
