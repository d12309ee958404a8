using Zk0.Cli.Drill.Nodes;

namespace Zk0.Tests.Cli.Drill.Nodes;

public sealed class DrillUpdatesTests
{
    private const string Base = "aa";

    [Fact]
    public void An_update_depends_on_seed_round_dataset_and_base_model_only()
    {
        var variant = DrillUpdates.TrainVariant("1", 2, "drill-a", Base);

        Assert.Equal(variant, DrillUpdates.TrainVariant("1", 2, "drill-a", Base));
        Assert.NotEqual(variant, DrillUpdates.TrainVariant("2", 2, "drill-a", Base));
        Assert.NotEqual(variant, DrillUpdates.TrainVariant("1", 3, "drill-a", Base));
        Assert.NotEqual(variant, DrillUpdates.TrainVariant("1", 2, "drill-b", Base));
        Assert.NotEqual(variant, DrillUpdates.TrainVariant("1", 2, "drill-a", "bb"));
    }

    [Fact]
    public void Variants_stay_small_so_synthetic_values_stay_finite_and_modest()
    {
        var variants = Enumerable.Range(0, 500).Select(i => DrillUpdates.TrainVariant("1", i, "d", Base)).ToList();

        Assert.All(variants, v => Assert.InRange(v, 1, 1000));
        Assert.True(variants.Distinct().Count() > 300);
    }

    [Fact]
    public void The_initial_model_and_the_evaluation_loss_are_functions_of_seed_and_model()
    {
        Assert.Equal(DrillUpdates.InitialVariant("5"), DrillUpdates.InitialVariant("5"));
        Assert.NotEqual(DrillUpdates.InitialVariant("5"), DrillUpdates.InitialVariant("6"));
        Assert.Equal(DrillUpdates.EvaluationLoss("cafe"), DrillUpdates.EvaluationLoss("cafe"));
        Assert.InRange(DrillUpdates.EvaluationLoss("cafe"), 0, 1);
    }
}
