using TorchSharp;
using TorchSharp.Modules;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Embeddings;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Training;

/// <summary>What one optimizer step did: the loss that was back-propagated, the gradient norm before clipping, the LR used.</summary>
public sealed record TrainingStepResult(double Loss, double GradNorm, double LearningRate);

/// <summary>
/// LeRobot's <c>update_policy</c>: backward, clip the total gradient norm, AdamW (β 0.9/0.95, ε 1e-8, wd 1e-10 by
/// default) over the trainable parameters, zero the gradients, advance the schedule.
/// </summary>
public sealed class SmolVlaTrainer : IDisposable
{
    private readonly SmolVlaPolicy _policy;
    private readonly IReadOnlyList<Parameter> _trainable;
    private readonly optim.Optimizer _optimizer;
    private readonly Func<int, double> _schedule;

    /// <param name="schedule">learning rate per step; null = the configured cosine decay with warm-up</param>
    public SmolVlaTrainer(SmolVlaPolicy policy, Func<int, double>? schedule = null)
    {
        _policy = policy;
        var c = policy.Config;
        _trainable = policy.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.parameter).ToList();
        if (_trainable.Count == 0)
            throw new InvalidOperationException("No parameter is trainable; check freeze_vision_encoder / train_expert_only / train_state_proj.");
        _schedule = schedule ?? CosineDecayWithWarmup.From(c).LearningRate;
        _optimizer = new GcSafeAdamW(_trainable, _schedule(0), c.OptimizerBetas.Beta1, c.OptimizerBetas.Beta2, c.OptimizerEps, c.OptimizerWeightDecay);
    }

    public int Step { get; private set; }

    /// <summary>One update on a batch with the given flow-matching noise and time (LeRobot draws them inside forward).</summary>
    public TrainingStepResult TrainStep(PolicyInputs inputs, Tensor actions, Tensor? actionIsPad, Tensor noise, Tensor time) =>
        ApplyGradients(Backward(() => _policy.Loss(inputs, actions, actionIsPad, noise, time)));

    /// <summary>One update with noise and time drawn from <paramref name="generator"/>.</summary>
    public TrainingStepResult TrainStep(PolicyInputs inputs, Tensor actions, Tensor? actionIsPad, Generator? generator = null) =>
        ApplyGradients(Backward(() => _policy.Loss(inputs, actions, actionIsPad, generator)));

    /// <summary>Computes the loss and back-propagates it, leaving the gradients on the parameters; returns the loss.</summary>
    public double Backward(Func<Tensor> loss)
    {
        _policy.train();
        using var scope = NewDisposeScope();
        var value = loss();
        value.backward();
        return value.to(ScalarType.Float64).item<double>();
    }

    /// <summary>Clips the gradients, takes one AdamW step at the scheduled LR and zeroes the gradients.</summary>
    public TrainingStepResult ApplyGradients(double loss)
    {
        var gradNorm = nn.utils.clip_grad_norm_(_trainable, _policy.Config.OptimizerGradClipNorm);
        var lr = _schedule(Step);
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = lr;
        _optimizer.step();
        _optimizer.zero_grad();
        Step++;
        return new TrainingStepResult(loss, gradNorm, lr);
    }

    public void Dispose() => _optimizer.Dispose();
}
