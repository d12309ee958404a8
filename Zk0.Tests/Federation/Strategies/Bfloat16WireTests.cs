using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>
/// wire-dtype=bfloat16: strategies fold BF16 updates in float32 and write the new model's float tensors as BF16
/// (rounded to nearest, ties to even), whatever dtype the base model had. Every expected value is worked out by hand.
/// </summary>
public sealed class Bfloat16WireTests : IDisposable
{
    private const SafetensorsDType BF16 = SafetensorsDType.BF16;
    private readonly VectorModels _models = new();

    public void Dispose() => _models.Dispose();

    private static Zk0.Federation.Runs.RunConfiguration Bf16(string assignments) => VectorModels.Config($"{assignments} wire-dtype=bfloat16");

    private string Round(string assignments, string global, params TrainUpdate[] updates) =>
        _models.Round(VectorModels.Strategy(assignments), Bf16(assignments), 1, global, updates);

    [Fact]
    public void FedAvgAveragesBf16UpdatesAndRoundsTheMeanToNearestEven()
    {
        var global = _models.GlobalIn(BF16, 0, 0, 0, 0);
        // 1.0078125 = 1 + 2⁻⁷ and 1.015625 = 1 + 2⁻⁶ are exact in BF16 (7 mantissa bits).
        var a = _models.UpdateIn(BF16, "a", 1, 1, 2, 1.0078125f, 1);
        var b = _models.UpdateIn(BF16, "b", 3, 3, 4.5f, 1.0078125f, 1.015625f);

        var model = Round("strategy=fedavg", global, a, b);

        // (1·1 + 3·3)/4 = 2.5; (2 + 13.5)/4 = 3.875 (1.1111₂·2¹, exact); (1.0078125·4)/4 = 1.0078125;
        // (1 + 3·1.015625)/4 = 1.01171875 = 1 + 3·2⁻⁸: halfway between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶ (even) → 1.015625.
        Assert.Equal([2.5f, 3.875f, 1.0078125f, 1.015625f], VectorModels.W(model));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "w"));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "frozen"));
        Assert.Equal([7.5f], VectorModels.Read(model, "frozen"));
        Assert.Equal(42, VectorModels.Step(model));
    }

    [Fact]
    public void FedAvgAccumulatesInFloat32NotInBf16()
    {
        var global = _models.GlobalIn(BF16, 0);
        TrainUpdate[] four = [_models.UpdateIn(BF16, "a", 1, 256), _models.UpdateIn(BF16, "b", 1, 1), _models.UpdateIn(BF16, "c", 1, 1), _models.UpdateIn(BF16, "d", 1, 1)];

        // Float32: 259/4 = 64.75, halfway between 64.5 (mantissa odd) and 65 (even) in BF16 → 65.
        // A BF16 running sum would lose every +1 at 256 (spacing 2, ties to even) and give 256/4 = 64.
        Assert.Equal([65f], VectorModels.W(Round("strategy=fedavg", global, four)));
    }

    [Fact]
    public void Float32BaseModelIsWrittenInBf16WhenTheRunSaysSo()
    {
        var global = _models.Global(0.5f, 0.25f);
        var model = Round("strategy=fedavg", global, _models.UpdateIn(BF16, "a", 2, 1.5f, 3), _models.UpdateIn(BF16, "b", 2, 2.5f, 5));

        Assert.Equal([2f, 4f], VectorModels.W(model));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "w"));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "frozen"));
        Assert.Equal(SafetensorsDType.I64, VectorModels.DTypeOf(model, "step"));

        // Without wire-dtype the SuperLink keeps the base model's dtypes, as before.
        var kept = _models.Round(new FedAvg(), 1, global, _models.UpdateIn(BF16, "a", 2, 1.5f, 3));
        Assert.Equal(SafetensorsDType.F32, VectorModels.DTypeOf(kept, "w"));
    }

    [Fact]
    public void Bf16ModelIsHalfTheSizeOfTheFloat32OneForTheSameValues()
    {
        // k/8 for k < 256 has at most 8 significant bits, so every value is exact in BF16.
        var values = Enumerable.Range(0, 1000).Select(i => i % 256 / 8f).ToArray();
        var f32 = _models.Round(new FedAvg(), VectorModels.Config("wire-dtype=float32"), 1, _models.Global(values), _models.Update("a", 1, values));
        var bf16 = Round("strategy=fedavg", _models.Global(values), _models.UpdateIn(BF16, "a", 1, values));

        Assert.Equal(values, VectorModels.W(bf16));
        var ratio = new FileInfo(bf16).Length / (double)new FileInfo(f32).Length;
        Assert.InRange(ratio, 0.49, 0.53);
    }

    [Fact]
    public void FedAvgMStepsInFloat32AndWritesBf16()
    {
        var global = _models.GlobalIn(BF16, 1, 1);
        // Round 1, momentum v = g = global − mean; mean = (2·3 + 2·4.5)/4 = 3.75 and (2·1 + 2·2)/4 = 1.5.
        // lr 1: new = global − v = mean → [3.75, 1.5], both exact in BF16.
        var model = Round("strategy=fedavgm server-learning-rate=1 server-momentum=0.9", global,
            _models.UpdateIn(BF16, "a", 2, 3, 1), _models.UpdateIn(BF16, "b", 2, 4.5f, 2));

        Assert.Equal([3.75f, 1.5f], VectorModels.W(model));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "w"));
    }

    [Fact]
    public void FedAdamStepsInFloat32AndWritesBf16()
    {
        var global = _models.GlobalIn(BF16, 0);
        // Round 1 from zero moments: Δ = 2, m = 0.1·2 = 0.2, v = 0.01·4 = 0.04, √v = 0.2;
        // η₁ = 0.1·√(1 − 0.99²)/(1 − 0.9²) = 0.1·√0.0199/0.19 ≈ 0.0742454; new = 0 + η₁·0.2/0.2 ≈ 0.0742454.
        // BF16 near 0.074 has spacing 2⁻¹¹: 0.0742454·2048 = 152.05 → 152/2048 = 0.07421875.
        var model = Round("strategy=fedadam", global, _models.UpdateIn(BF16, "a", 1, 2));

        Assert.Equal([0.07421875f], VectorModels.W(model));
        Assert.Equal(BF16, VectorModels.DTypeOf(model, "w"));
    }

    [Fact]
    public void FedMedianAndKrumWriteBf16()
    {
        var global = _models.GlobalIn(BF16, 0, 0);
        TrainUpdate[] three = [_models.UpdateIn(BF16, "a", 1, 1, 10), _models.UpdateIn(BF16, "b", 1, 2, 20), _models.UpdateIn(BF16, "c", 1, 100, 0)];

        var median = Round("strategy=fedmedian", global, three);
        Assert.Equal([2f, 10f], VectorModels.W(median));
        Assert.Equal(BF16, VectorModels.DTypeOf(median, "w"));

        // Squared distances: ab 1 + 100 = 101, ac 99² + 100 = 9901, bc 98² + 400 = 10004. f = 0 keeps n − 2 = 1 neighbour:
        // a 101, b 101, c 9901; the tie between a and b goes to the one folded first, a.
        var krum = Round("strategy=krum num-malicious-nodes=0", global, three);
        Assert.Equal([1f, 10f], VectorModels.W(krum));
        Assert.Equal(BF16, VectorModels.DTypeOf(krum, "w"));
    }
}
