using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// SCAFFOLD's drift correction (Karimireddy et al., 2020, control variates of option II) kept by one node for one run,
/// with nothing extra on the wire. After every local step the weights move by <c>−lr·(c − c_i)</c>, so a node trained on
/// one task follows the federation's direction instead of drifting toward its own task.
/// </summary>
/// <remarks>
/// <para>
/// <c>c_i</c> is this node's mean step direction in its last round, <c>(x_prev − y_i)/Σlr</c> less the correction it
/// applied; <c>c</c> is the federation's: with every node trained and averaged (FedAvg or FedProx), SCAFFOLD's server
/// variate <c>c = mean c_j</c> equals <c>(x_prev − x_now)/Σlr</c>, the global model's own move in that round. Their
/// difference needs only what a node already has: <c>c − c_i = (y_i − x_now)/Σlr + (c − c_i)_prev</c>, its last upload
/// against the global model it has just received.
/// </para>
/// <para>
/// The step directions are the optimizer's (AdamW's), not raw gradients, and the correction is added to the weights
/// rather than to the gradients, so <c>c</c>, <c>c_i</c> and the step share one unit. A node that missed the round
/// before trains that round uncorrected and starts again from there; a round trained again (a retry) reuses the
/// correction it was prepared with.
/// </para>
/// </remarks>
public sealed class ScaffoldCorrection : IDisposable
{
    private Tensor[]? _roundEnd;
    private Tensor[]? _stepCorrection;
    private double _learningRateSum;
    private double _previousLearningRateSum;
    private int _preparedRound = -1;
    private int _finishedRound = -1;

    /// <summary>Whether the round being trained is corrected (false in a node's first round and after a missed one).</summary>
    public bool Active => _stepCorrection is not null;

    /// <summary>
    /// Prepares round <paramref name="round"/>'s correction from the last round this node trained and the global model it
    /// has just imported (<paramref name="globalWeights"/>, the live tensors; read, not kept).
    /// </summary>
    public void BeginRound(int round, IReadOnlyList<Tensor> globalWeights)
    {
        _learningRateSum = 0;
        if (round == _preparedRound) return;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor[]? next = null;
        if (_finishedRound == round - 1 && _roundEnd is not null && _previousLearningRateSum > 0 && _roundEnd.Length == globalWeights.Count)
        {
            next = new Tensor[globalWeights.Count];
            // Scalars held until libtorch returns: a temporary one can be finalized mid-call (see GcSafeAdamW).
            using var learningRateSum = _previousLearningRateSum.ToScalar();
            using var minusOne = (-1.0).ToScalar();
            for (var k = 0; k < next.Length; k++)
            {
                var difference = _roundEnd[k].add(globalWeights[k].detach(), minusOne);
                difference.div_(learningRateSum);
                if (_stepCorrection is not null) difference.add_(_stepCorrection[k], KeptScalars.IntOne);
                next[k] = difference.DetachFromDisposeScope();
            }
        }
        Replace(ref _stepCorrection, next);
        Replace(ref _roundEnd, null);
        _preparedRound = round;
    }

    /// <summary>Moves the weights by <c>−lr·(c − c_i)</c>; called after each optimizer step with the step's learning rate.</summary>
    public void AfterStep(IReadOnlyList<Tensor> weights, double learningRate)
    {
        _learningRateSum += learningRate;
        if (_stepCorrection is null) return;
        using var _ = no_grad();
        using var step = (-learningRate).ToScalar();
        for (var k = 0; k < weights.Count; k++) weights[k].add_(_stepCorrection[k], step);
    }

    /// <summary>Keeps the weights the round ended with (<c>y_i</c>, what the node uploads) for the next round's correction.</summary>
    public void EndRound(int round, IReadOnlyList<Tensor> weights)
    {
        if (round != _preparedRound) throw new InvalidOperationException($"SCAFFOLD correction: round {round} ended but round {_preparedRound} was prepared.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Replace(ref _roundEnd, weights.Select(w => w.detach().clone().DetachFromDisposeScope()).ToArray());
        _previousLearningRateSum = _learningRateSum;
        _finishedRound = round;
    }

    public void Dispose()
    {
        Replace(ref _roundEnd, null);
        Replace(ref _stepCorrection, null);
    }

    private static void Replace(ref Tensor[]? field, Tensor[]? value)
    {
        if (field is not null) foreach (var tensor in field) tensor.Dispose();
        field = value;
    }
}
