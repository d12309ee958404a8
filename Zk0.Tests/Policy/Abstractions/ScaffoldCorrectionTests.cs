using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public class ScaffoldCorrectionTests
{
    private static readonly TorchSharp.Scalar KeptOne = 1.0.ToScalar();

    private static Tensor Weight(double value) => tensor(new[] { value }, float64).requires_grad_();

    private static double StepGradient(ScaffoldCorrection correction, Tensor weight, double rawGradient)
    {
        weight.grad?.zero_();
        using var gradient = rawGradient.ToScalar();
        using (var loss = weight.mul(gradient).sum()) loss.backward();
        correction.CorrectGradients([weight]);
        return weight.grad!.item<double>();
    }

    [Fact]
    public void TheFirstRoundIsUncorrectedAndMeasuresTheMeanGradientWhichTheNextRoundCorrectsAgainstTheFederations()
    {
        using var scope = NewDisposeScope();
        var w = Weight(0);
        using var correction = new ScaffoldCorrection([("layer.weight", w)]);
        Assert.Equal("scaffold.control/layer.weight", correction.FederationControl.Single().Name);
        Assert.Equal("scaffold.control/layer.weight", correction.NodeControl.Single().Name);

        correction.BeginRound();
        Assert.False(correction.Active);
        Assert.Equal(2.0, StepGradient(correction, w, 2.0));
        Assert.Equal(4.0, StepGradient(correction, w, 4.0));
        correction.EndRound();
        Assert.True(correction.Active);
        Assert.Equal(3.0, correction.NodeControl.Single().Tensor.item<double>());

        // The next global model brings c = 1 (say the other node's c_j was −1): each gradient gets c − c_i = 1 − 3 = −2.
        correction.FederationControl.Single().Tensor.fill_(KeptOne);
        correction.BeginRound();
        Assert.Equal(3.0, StepGradient(correction, w, 5.0));

        // A retry of that round measures afresh from the same c and c_i; c_i becomes that round's raw mean gradient.
        correction.BeginRound();
        Assert.Equal(5.0, StepGradient(correction, w, 7.0));
        Assert.Equal(7.0, StepGradient(correction, w, 9.0));
        correction.EndRound();
        Assert.Equal(8.0, correction.NodeControl.Single().Tensor.item<double>());
    }

    [Fact]
    public void ARoundWithoutStepsKeepsTheNodesControlVariate()
    {
        using var scope = NewDisposeScope();
        var w = Weight(0);
        using var correction = new ScaffoldCorrection([("w", w)]);
        correction.BeginRound();
        StepGradient(correction, w, 6.0);
        correction.EndRound();

        correction.BeginRound();
        correction.EndRound();

        Assert.Equal(6.0, correction.NodeControl.Single().Tensor.item<double>());
    }

    // Two nodes, f_A = ½(w − 0)² and f_B = ½·10·(w − 1)²: the federation's optimum is w* = 10/11. With 20 local SGD steps
    // of 0.05 per round, node A keeps 0.95²⁰ ≈ 0.358 of its start and node B lands at 1, so FedAvg settles where
    // w = (0.358·w + 1)/2, w ≈ 0.609: client drift. SCAFFOLD's correction, with its control variates averaged by the
    // server as the updates are, removes it.
    [Theory]
    [InlineData(false, 0.609)]
    [InlineData(true, 10.0 / 11.0)]
    public void OnTwoNodesWithDifferentOptimaScaffoldReachesTheFederationsOptimumWhereFedAvgDrifts(bool scaffold, double expected)
    {
        using var scope = NewDisposeScope();
        (double Curvature, double Optimum)[] nodes = [(1, 0), (10, 1)];
        var weights = nodes.Select(_ => Weight(0)).ToArray();
        var corrections = weights.Select(w => new ScaffoldCorrection([("w", w)])).ToArray();
        double global = 0, federationControl = 0;
        // Scalars held for the whole loop: a temporary one can be finalized on another thread while libtorch reads it.
        using var learningRate = 0.05.ToScalar();
        var minusOptima = nodes.Select(n => (-n.Optimum).ToScalar()).ToArray();
        var halfCurvatures = nodes.Select(n => (n.Curvature / 2).ToScalar()).ToArray();
        using var one = 1.ToScalar();
        using var minusOne = (-1).ToScalar();
        for (var round = 1; round <= 200; round++)
        {
            var uploads = new double[nodes.Length];
            var controls = new double[nodes.Length];
            for (var n = 0; n < nodes.Length; n++)
            {
                var w = weights[n];
                using (var start = global.ToScalar())
                using (no_grad()) w.fill_(start);
                using (var control = federationControl.ToScalar()) corrections[n].FederationControl.Single().Tensor.fill_(control);
                corrections[n].BeginRound();
                for (var step = 0; step < 20; step++)
                {
                    w.grad?.zero_();
                    using (var loss = w.add(minusOptima[n], one).square().mul(halfCurvatures[n]).sum()) loss.backward();
                    if (scaffold) corrections[n].CorrectGradients([w]);
                    using (no_grad()) w.add_(w.grad!.mul(learningRate), minusOne);
                }
                corrections[n].EndRound();
                uploads[n] = w.item<double>();
                controls[n] = corrections[n].NodeControl.Single().Tensor.item<double>();
            }
            global = uploads.Average();
            federationControl = controls.Average();
        }
        foreach (var correction in corrections) correction.Dispose();
        foreach (var scalar in minusOptima.Concat(halfCurvatures)) scalar.Dispose();

        Assert.Equal(expected, global, 3);
    }
}
