using System.Buffers.Binary;
using Zk0.Federation.Safetensors;

namespace Zk0.Tests.Federation.Safetensors;

/// <summary>Reads the safetensors files written by Python's safetensors 0.8 for the SmolVLA fixtures.</summary>
public class SafetensorsFixtureFileTests
{
    [Fact]
    public void TheLeRobotModelFileListsAll124Float32TensorsAndItsMetadata()
    {
        using var file = SafetensorsFile.Open(SharedFixtures.SmolVla("model.safetensors"));

        Assert.Equal(124, file.Tensors.Count);
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDType.F32, t.DType));
        Assert.Equal("7427f31801f944f5ec9ce53cda02862ce7d1638b", file.Metadata["lerobot_commit"]);
        Assert.True(file.TryGetInfo("model.state_proj.weight", out var stateProj));
        Assert.Equal([64L, 32L], stateProj.Shape);
    }

    [Fact]
    public void TheLeRobotModelFileServesTheValuesPythonReads()
    {
        using var file = SafetensorsFile.Open(SharedFixtures.SmolVla("model.safetensors"));

        var bytes = file.GetBytes("model.action_in_proj.bias");

        Assert.Equal(48 * 4, bytes.Length);
        Assert.Equal(-0.005585928447544575f, BinaryPrimitives.ReadSingleLittleEndian(bytes));
        Assert.Equal(-0.024829505011439323f, BinaryPrimitives.ReadSingleLittleEndian(bytes[4..]));
        Assert.Equal(0.008153685368597507f, BinaryPrimitives.ReadSingleLittleEndian(bytes[8..]));
    }

    [Fact]
    public void TheInputsFileCarriesIntegerAndMaskDTypes()
    {
        using var file = SafetensorsFile.Open(SharedFixtures.SmolVla("inputs.safetensors"));

        Assert.True(file.TryGetInfo("observation.language.tokens", out var tokens));
        Assert.Equal(SafetensorsDType.I64, tokens.DType);
        Assert.Equal([2L, 9L], tokens.Shape);
        Assert.True(file.TryGetInfo("action_is_pad", out var pad));
        Assert.Equal(SafetensorsDType.U8, pad.DType);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, file.GetBytes("action_is_pad").ToArray());
    }

    [Theory]
    [InlineData("expected.safetensors")]
    [InlineData("train_step.safetensors")]
    public void EveryFixtureFileOpensAndEveryTensorIsReadable(string fileName)
    {
        using var file = SafetensorsFile.Open(SharedFixtures.SmolVla(fileName));

        Assert.NotEmpty(file.Tensors);
        Assert.All(file.Tensors, t => Assert.Equal(t.ByteLength, file.GetBytes(t.Name).Length));
    }
}
