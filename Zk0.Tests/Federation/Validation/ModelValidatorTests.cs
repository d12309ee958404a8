using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Federation.Validation;
using Zk0.Tests.Federation.Safetensors;

namespace Zk0.Tests.Federation.Validation;

public sealed class ModelValidatorTests : IDisposable
{
    private readonly SafetensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void AFiniteModelWithAFloatTensorPasses() =>
        Assert.Null(ModelValidator.Check(_files.Write("ok", [Float("w", [1f, 2f]), SafetensorsTestFiles.Entry("step", SafetensorsDType.I64, [1], new byte[8])])));

    [Fact]
    public void RandomBytesAreNotAModel()
    {
        var path = _files.PathFor("random");
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.StartsWith("it is not a readable safetensors file: the model: the header length prefix says", ModelValidator.Check(path));
    }

    [Fact]
    public void AModelWithoutTensorsOrWithoutFloatTensorsCannotBeTrained()
    {
        Assert.Equal("it holds no tensors", ModelValidator.Check(_files.Write("empty", [])));
        Assert.Equal("it holds no floating-point tensor (only 'step' I64), so nothing could be trained",
            ModelValidator.Check(_files.Write("ints", [SafetensorsTestFiles.Entry("step", SafetensorsDType.I64, [1], new byte[8])])));
    }

    [Fact]
    public void ANonFiniteValueIsNamed() =>
        Assert.Equal("tensor 'w' has 1 NaN value", ModelValidator.Check(_files.Write("nan", [Float("w", [1f, float.NaN])])));

    private static SafetensorsEntry Float(string name, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        FloatConversions.FromSingle(values, SafetensorsDType.F32, bytes);
        return SafetensorsTestFiles.Entry(name, SafetensorsDType.F32, [values.Length], bytes);
    }
}
