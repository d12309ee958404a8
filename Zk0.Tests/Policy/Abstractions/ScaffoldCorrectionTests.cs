using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public class ScaffoldCorrectionTests
{
    [Fact]
    public void TheFirstRoundIsUncorrectedAndTheNextOneCorrectsByTheUploadAgainstTheNewGlobalModel()
    {
        using var scope = NewDisposeScope();
        using var correction = new ScaffoldCorrection();
        var w = tensor(new[] { 1f });
        Tensor[] weights = [w];

        correction.BeginRound(1, weights);
        Assert.False(correction.Active);
        correction.AfterStep(weights, 0.1);
        correction.AfterStep(weights, 0.1);
        Assert.Equal(1f, w.item<float>());
        w.fill_(0.6f); // the node's upload y after its steps
        correction.EndRound(1, weights);

        // c − c_i = (y − x_now)/Σlr = (0.6 − 0.8)/0.2 = −1, so a step of lr 0.1 adds 0.1.
        w.fill_(0.8f);
        correction.BeginRound(2, weights);
        Assert.True(correction.Active);
        correction.AfterStep(weights, 0.1);
        Assert.Equal(0.9f, w.item<float>(), 5);

        // A retry of round 2 starts from the same global model with the same correction.
        w.fill_(0.8f);
        correction.BeginRound(2, weights);
        correction.AfterStep(weights, 0.1);
        Assert.Equal(0.9f, w.item<float>(), 5);
    }

    [Fact]
    public void ARoundAfterAMissedOneTrainsUncorrected()
    {
        using var scope = NewDisposeScope();
        using var correction = new ScaffoldCorrection();
        Tensor[] weights = [tensor(new[] { 1f })];
        correction.BeginRound(1, weights);
        correction.AfterStep(weights, 0.1);
        correction.EndRound(1, weights);

        correction.BeginRound(3, weights);

        Assert.False(correction.Active);
    }

    [Fact]
    public void EndingARoundThatWasNotPreparedIsRefused()
    {
        using var scope = NewDisposeScope();
        using var correction = new ScaffoldCorrection();
        Tensor[] weights = [tensor(new[] { 1f })];
        correction.BeginRound(1, weights);

        var error = Assert.Throws<InvalidOperationException>(() => correction.EndRound(2, weights));

        Assert.Contains("round 2", error.Message);
    }

    // Two nodes, f_A = ½(w − 0)² and f_B = ½·10·(w − 1)²: the federation's optimum is w* = 10/11. With 20 local gradient
    // steps of 0.05 per round, node A keeps 0.95²⁰ ≈ 0.358 of its start and node B lands at 1, so FedAvg settles where
    // w = (0.358·w + 1)/2, w ≈ 0.609: client drift. SCAFFOLD's correction removes it.
    [Theory]
    [InlineData(false, 0.609)]
    [InlineData(true, 10.0 / 11.0)]
    public void OnTwoNodesWithDifferentOptimaScaffoldReachesTheFederationsOptimumWhereFedAvgDrifts(bool scaffold, double expected)
    {
        using var scope = NewDisposeScope();
        (double Curvature, double Optimum)[] nodes = [(1, 0), (10, 1)];
        var corrections = nodes.Select(_ => new ScaffoldCorrection()).ToArray();
        var global = 0.0;
        for (var round = 1; round <= 200; round++)
        {
            var uploads = new double[nodes.Length];
            for (var n = 0; n < nodes.Length; n++)
            {
                var w = tensor(new[] { global }, float64);
                Tensor[] weights = [w];
                if (scaffold) corrections[n].BeginRound(round, weights);
                for (var step = 0; step < 20; step++)
                {
                    w.sub_(0.05 * nodes[n].Curvature * (w.item<double>() - nodes[n].Optimum));
                    if (scaffold) corrections[n].AfterStep(weights, 0.05);
                }
                if (scaffold) corrections[n].EndRound(round, weights);
                uploads[n] = w.item<double>();
            }
            global = uploads.Average();
        }
        foreach (var correction in corrections) correction.Dispose();

        Assert.Equal(expected, global, 3);
    }
}
