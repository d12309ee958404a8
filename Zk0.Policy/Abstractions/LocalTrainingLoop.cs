using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// The local round every federated policy runs: optimizer steps with gradient clipping, the optional FedProx term
/// μ/2·‖w − w_global‖² over the trainable tensors, measured against the weights the round started from, and the optional
/// SCAFFOLD correction of each step's gradients.
/// </summary>
internal static class LocalTrainingLoop
{
    /// <param name="computeLoss">The policy's loss for one batch (already on the policy's device is the caller's job).</param>
    /// <param name="beforeStep">Called with the step index before each step, e.g. to set a scheduled learning rate.</param>
    public static LocalTrainingResult Run(
        string policyType,
        IEnumerable<PolicyBatch> batches,
        LocalTrainingOptions options,
        IReadOnlyList<Tensor> weights,
        IReadOnlyList<Parameter> parameters,
        optim.Optimizer optimizer,
        Func<PolicyBatch, Tensor> computeLoss,
        Action<int>? beforeStep,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var globalWeights = weights.Select(w => w.detach().clone()).ToList();
        double lossSum = 0, proximalSum = 0, lastLoss = double.NaN;
        long examples = 0;
        var steps = 0;
        try
        {
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    beforeStep?.Invoke(steps);
                    optimizer.zero_grad();
                    var loss = computeLoss(batch);
                    var objective = loss;
                    if (options.ProximalMu > 0)
                    {
                        var proximal = ProximalTerm.Compute(weights, globalWeights, options.ProximalMu);
                        proximalSum += proximal.item<float>();
                        objective = loss.add(proximal, KeptScalars.IntOne);
                    }
                    objective.backward();
                    if (options.GradientClipNorm > 0) nn.utils.clip_grad_norm_(parameters, options.GradientClipNorm);
                    options.DriftCorrection?.CorrectGradients(weights);
                    optimizer.step();

                    lastLoss = loss.item<float>();
                    if (!double.IsFinite(lastLoss))
                        throw new InvalidOperationException($"{policyType} local training diverged at step {steps + 1}: loss is {lastLoss}. Lower the learning rate.");
                    lossSum += lastLoss;
                    examples += batch.Size;
                }
                options.Progress?.Report(new TrainingStep(steps + 1, options.Steps, lastLoss));
                if (++steps >= options.Steps) break;
            }
            return new LocalTrainingResult(
                steps == 0 ? double.NaN : lossSum / steps,
                lastLoss,
                steps == 0 ? 0 : proximalSum / steps,
                steps,
                examples,
                ProximalTerm.DistanceNorm(weights, globalWeights),
                stopwatch.Elapsed);
        }
        finally
        {
            foreach (var tensor in globalWeights) tensor.Dispose();
        }
    }
}
