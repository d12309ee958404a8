using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Federation.Validation;
using Zk0.Tests.Federation.Safetensors;

namespace Zk0.Tests.Federation.Validation;

public sealed class UpdateValidatorTests : IDisposable
{
    private static readonly UpdateRules NoBound = new(WireDType: null, MaxUpdateNorm: null);
    private readonly SafetensorsTestFiles _files = new();
    private readonly string _global;

    public UpdateValidatorTests() => _global = Model("global", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), Step());

    public void Dispose() => _files.Dispose();

    [Fact]
    public void AnUpdateShapedLikeTheGlobalModelWithFiniteValuesPasses() =>
        Assert.Null(UpdateValidator.Check(Model("honest", Weight(4, 8, 1.5f), Bias(SafetensorsDType.BF16, 0.5f), Step()), _global, NoBound));

    [Fact]
    public void NaNValuesAreCountedAndNamed()
    {
        var update = Model("nan", Weight(4, 8, float.NaN), Bias(SafetensorsDType.BF16, 1f), Step());
        Assert.Equal("tensor 'model.x.weight' has 32 NaN values", UpdateValidator.Check(update, _global, NoBound));
    }

    [Fact]
    public void OneInfiniteValueInABfloat16TensorIsFound()
    {
        var bias = Float("model.x.bias", SafetensorsDType.BF16, [4], [1f, 2f, float.PositiveInfinity, 3f]);
        var update = Model("inf", Weight(4, 8, 1f), bias, Step());
        Assert.Equal("tensor 'model.x.bias' has 1 infinite value", UpdateValidator.Check(update, _global, NoBound));
    }

    [Fact]
    public void NaNAndInfinityInAFloat16TensorAreBothReported()
    {
        var global = Model("global-f16", Float("h", SafetensorsDType.F16, [3], [1f, 1f, 1f]));
        var update = Model("f16", Float("h", SafetensorsDType.F16, [3], [float.NaN, float.NegativeInfinity, 1f]));
        Assert.Equal("tensor 'h' has 1 NaN value and 1 infinite value", UpdateValidator.Check(update, global, NoBound));
    }

    [Fact]
    public void ANaNPastTheFirstChunkOfALargeTensorIsFound()
    {
        var count = FloatTensors.ChunkLength * 2 + 17;
        var global = Model("big-global", Float("big", SafetensorsDType.F32, [count], new float[count]));
        var values = new float[count];
        values[^1] = float.NaN;
        Assert.Equal("tensor 'big' has 1 NaN value", UpdateValidator.Check(Model("big", Float("big", SafetensorsDType.F32, [count], values)), global, NoBound));
    }

    [Fact]
    public void AnUpdateWithNoTensorsIsMissingEveryTensorOfTheGlobalModel() =>
        Assert.Equal("3 of the global model's 3 tensors are missing ('model.x.weight', 'model.x.bias', 'step')",
            UpdateValidator.Check(Model("empty"), _global, NoBound));

    [Fact]
    public void AMissingTensorIsNamed() =>
        Assert.Equal("1 of the global model's 3 tensors are missing ('step')",
            UpdateValidator.Check(Model("missing", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f)), _global, NoBound));

    [Fact]
    public void AnExtraTensorIsNamed() =>
        Assert.Equal("tensor 'backdoor' is not in the global model",
            UpdateValidator.Check(Model("extra", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), Step(), Float("backdoor", SafetensorsDType.F32, [1], [1f])), _global, NoBound));

    [Fact]
    public void AWrongShapeIsNamedWithBothShapes() =>
        Assert.Equal("tensor 'model.x.weight' has shape [4,4], the global model has [4,8]",
            UpdateValidator.Check(Model("shape", Weight(4, 4, 1f), Bias(SafetensorsDType.BF16, 1f), Step()), _global, NoBound));

    [Fact]
    public void AWrongDTypeIsRejectedUnlessItIsTheRunsWireDType()
    {
        var f64 = Model("f64", Weight(4, 8, 1f), Bias(SafetensorsDType.F64, 1f), Step());
        Assert.Equal("tensor 'model.x.bias' is F64, the global model's is BF16", UpdateValidator.Check(f64, _global, NoBound));
        Assert.Equal("tensor 'model.x.bias' is F64, the global model's is BF16 (or the run's wire-dtype F32)",
            UpdateValidator.Check(f64, _global, new UpdateRules(SafetensorsDType.F32, null)));
        var f32 = Model("f32", Weight(4, 8, 1f), Bias(SafetensorsDType.F32, 1f), Step());
        Assert.Null(UpdateValidator.Check(f32, _global, new UpdateRules(SafetensorsDType.F32, null)));
        var intStep = Model("i32", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), SafetensorsTestFiles.Entry("step", SafetensorsDType.I32, [1], new byte[4]));
        Assert.Equal("tensor 'step' is I32, the global model's is I64", UpdateValidator.Check(intStep, _global, new UpdateRules(SafetensorsDType.F32, null)));
    }

    [Fact]
    public void ACorruptHeaderIsRejectedWithoutNamingTheServersPath()
    {
        var corrupt = _files.WriteRaw("corrupt", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", 4);
        var reason = UpdateValidator.Check(corrupt, _global, NoBound);
        Assert.StartsWith("it is not a readable safetensors file: the update: the safetensors header is not valid JSON", reason);
        Assert.DoesNotContain(Path.GetTempPath(), reason);
    }

    [Fact]
    public void TheNormBoundIsTheL2DistanceFromTheGlobalModelOverEveryFloatTensor()
    {
        // Weight +0.5 on 32 elements, bias +1 on 4 (bfloat16-exact): √(32·0.25 + 4·1) = √12 ≈ 3.4641.
        var update = Model("far", Weight(4, 8, 1.5f), Bias(SafetensorsDType.BF16, 2f), Step());
        Assert.Null(UpdateValidator.Check(update, _global, new UpdateRules(null, 3.47)));
        Assert.Equal("its L2 distance from the global model is 3.4641, above max-update-norm=3.46",
            UpdateValidator.Check(update, _global, new UpdateRules(null, 3.46)));
    }

    [Fact]
    public void ScaffoldControlVariatesAreCheckedForFiniteValuesButAreNoPartOfTheDistance()
    {
        static SafetensorsEntry Control(float value) =>
            Float(ControlVariateTensors.For("model.x.bias"), SafetensorsDType.F32, [4], [value, value, value, value]);
        var global = Model("global-scaffold", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), Control(0f), Step());
        var bound = new UpdateRules(null, 0.01);

        Assert.Null(UpdateValidator.Check(Model("steep", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), Control(100f), Step()), global, bound));
        Assert.Equal("tensor 'scaffold.control/model.x.bias' has 4 NaN values",
            UpdateValidator.Check(Model("nan-control", Weight(4, 8, 1f), Bias(SafetensorsDType.BF16, 1f), Control(float.NaN), Step()), global, bound));
    }

    private string Model(string name, params SafetensorsEntry[] entries) => _files.Write(name, entries);

    private static SafetensorsEntry Weight(int rows, int columns, float value) =>
        Float("model.x.weight", SafetensorsDType.F32, [rows, columns], Enumerable.Repeat(value, rows * columns).ToArray());

    private static SafetensorsEntry Bias(SafetensorsDType dtype, float value) => Float("model.x.bias", dtype, [4], [value, value, value, value]);

    private static SafetensorsEntry Step() => SafetensorsTestFiles.Entry("step", SafetensorsDType.I64, [1], new byte[8]);

    private static SafetensorsEntry Float(string name, SafetensorsDType dtype, long[] shape, float[] values)
    {
        var bytes = new byte[values.Length * FloatTensors.ElementSize(dtype)];
        FloatConversions.FromSingle(values, dtype, bytes);
        return SafetensorsTestFiles.Entry(name, dtype, shape, bytes);
    }
}
