using TorchSharp;
using Zk0.Federation.Strategies;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// SCAFFOLD's drift correction (Karimireddy et al., 2020, control variates of option II) kept by one node for one run:
/// every local gradient gets <c>c − c_i</c> added before the optimizer steps, so a node trained on one task follows the
/// federation's direction instead of drifting toward its own task.
/// </summary>
/// <remarks>
/// <para>
/// <c>c_i</c> is this node's mean (clipped) gradient over the last round it trained. It travels to the server in the
/// node's update, beside the weights (<see cref="ControlVariateTensors"/>), and averaging the updates makes <c>c</c>, the
/// nodes' mean, which comes back in the next global model. For SGD, option II's <c>c_i⁺ = c_i − c + (x − y_i)/(Kη)</c> is
/// exactly that mean gradient; measuring it from the gradients keeps it right whatever optimizer takes the steps.
/// </para>
/// <para>
/// Until the node has trained a round of the run it has no <c>c_i</c> and trains uncorrected. A round trained again (a
/// retry) starts from the same <c>c</c> and <c>c_i</c>: <c>c_i</c> changes only when a round ends.
/// </para>
/// </remarks>
public sealed class ScaffoldCorrection : IDisposable
{
    private readonly (string Name, Tensor Tensor)[] _federationControl;
    private readonly (string Name, Tensor Tensor)[] _nodeControl;
    private readonly Tensor[] _gradientSum;
    private int _steps;

    /// <param name="weights">the policy's trainable tensors: one control variate each, of its shape, on its device</param>
    public ScaffoldCorrection(IReadOnlyList<(string Name, Tensor Tensor)> weights)
    {
        using var _ = no_grad();
        _federationControl = weights.Select(w => (ControlVariateTensors.For(w.Name), zeros_like(w.Tensor).DetachFromDisposeScope())).ToArray();
        _nodeControl = weights.Select(w => (ControlVariateTensors.For(w.Name), zeros_like(w.Tensor).DetachFromDisposeScope())).ToArray();
        _gradientSum = weights.Select(w => zeros_like(w.Tensor).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>
    /// <c>c</c>, named as in a model file: <see cref="IFederatedPolicy.ImportTrainable"/> fills it from the global model
    /// (a run's initial model carries zeros, these tensors as they are before any import).
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> FederationControl => _federationControl;

    /// <summary><c>c_i</c> of the last round trained, named as in a model file, for the node's update; zeros before any.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> NodeControl => _nodeControl;

    /// <summary>Whether the round being trained is corrected (false until the node has trained a round of the run).</summary>
    public bool Active { get; private set; }

    /// <summary>Starts measuring the round's gradients; called once <see cref="FederationControl"/> holds the round's <c>c</c>.</summary>
    public void BeginRound()
    {
        foreach (var sum in _gradientSum) sum.zero_();
        _steps = 0;
    }

    /// <summary>
    /// Adds the step's gradients of <paramref name="weights"/> (the trainable tensors, in the order given to the
    /// constructor) to the round's measure, then corrects them by <c>c − c_i</c>; called after clipping, before the step.
    /// </summary>
    public void CorrectGradients(IReadOnlyList<Tensor> weights)
    {
        using var _ = no_grad();
        for (var k = 0; k < weights.Count; k++)
        {
            using var gradient = weights[k].grad;
            if (gradient is null) continue;
            _gradientSum[k].add_(gradient, KeptScalars.IntOne);
            if (!Active) continue;
            gradient.add_(_federationControl[k].Tensor, KeptScalars.IntOne).add_(_nodeControl[k].Tensor, KeptScalars.IntMinusOne);
        }
        _steps++;
    }

    /// <summary>Makes the round's mean gradient this node's <c>c_i</c>; a round without steps leaves it as it was.</summary>
    public void EndRound()
    {
        if (_steps == 0) return;
        using var _ = no_grad();
        using var steps = _steps.ToScalar();
        for (var k = 0; k < _gradientSum.Length; k++)
        {
            using var mean = _gradientSum[k].div(steps);
            _nodeControl[k].Tensor.copy_(mean);
        }
        Active = true;
    }

    public void Dispose()
    {
        foreach (var (_, tensor) in _federationControl.Concat(_nodeControl)) tensor.Dispose();
        foreach (var sum in _gradientSum) sum.Dispose();
    }
}
