using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Checkpoints;
using Zk0.Tests.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

public class SafetensorsTorchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-st-torch-").FullName;

    public static TheoryData<ScalarType> TorchDTypes() =>
    [
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    ];

    [Theory]
    [MemberData(nameof(TorchDTypes))]
    public void SavedTensorsLoadBackWithTheSameDTypeShapeAndBits(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var original = RandomTensor(dtype, [3, 4, 5]);
        var path = Path.Combine(_directory, "t.safetensors");

        SafetensorsTorch.Save(path, [new("layer.weight", original)]);
        var loaded = SafetensorsTorch.LoadAll(path);

        var tensor = Assert.Single(loaded).Value;
        Assert.Equal(dtype, tensor.dtype);
        Assert.Equal(original.shape, tensor.shape);
        Assert.Equal(original.bytes.ToArray(), tensor.bytes.ToArray());
    }

    [Fact]
    public void BFloat16ValuesSurviveTheTripExactly()
    {
        using var scope = torch.NewDisposeScope();
        var original = torch.tensor(new[] { 1.5f, -2.25f, 3.0e-3f, 1024f, float.NegativeInfinity }).to(ScalarType.BFloat16);
        var path = Path.Combine(_directory, "bf16.safetensors");

        SafetensorsTorch.Save(path, [new("x", original)]);
        using var file = SafetensorsFile.Open(path);
        var loaded = SafetensorsTorch.Load(file, "x");

        Assert.Equal(SafetensorsDType.BF16, file.GetInfo("x").DType);
        Assert.Equal(5, loaded.numel());
        Assert.True(original.to(ScalarType.Float32).equal(loaded.to(ScalarType.Float32)).all().item<bool>());
    }

    [Fact]
    public void NonContiguousAndScalarTensorsAreWrittenInLogicalOrder()
    {
        using var scope = torch.NewDisposeScope();
        var transposed = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3).t();
        var scalar = torch.tensor(2.5f);
        var path = Path.Combine(_directory, "views.safetensors");

        SafetensorsTorch.Save(path, [new("t", transposed), new("s", scalar)]);
        var loaded = SafetensorsTorch.LoadAll(path);

        Assert.Equal(new long[] { 3, 2 }, loaded["t"].shape);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, loaded["t"].data<float>().ToArray());
        Assert.Empty(loaded["s"].shape);
        Assert.Equal(2.5f, loaded["s"].item<float>());
    }

    [Fact]
    public void TheFixtureModelLoadsAsFloat32TensorsWithPythonsValues()
    {
        using var scope = torch.NewDisposeScope();

        var weights = SafetensorsTorch.LoadAll(SharedFixtures.SmolVla("model.safetensors"));

        Assert.Equal(124, weights.Count);
        var bias = weights["model.action_in_proj.bias"];
        Assert.Equal(ScalarType.Float32, bias.dtype);
        Assert.Equal(new[] { -0.005585928447544575f, -0.024829505011439323f, 0.008153685368597507f }, bias[..3].data<float>().ToArray());
    }

    [Fact]
    public void LoadingAMissingNameNamesTheKey()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(_directory, "one.safetensors");
        SafetensorsTorch.Save(path, [new("a", torch.zeros(2))]);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<KeyNotFoundException>(() => SafetensorsTorch.Load(file, "b"));

        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void AnUnsupportedDTypeIsRejectedAndTheExistingFileIsKept()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(_directory, "keep.safetensors");
        SafetensorsTorch.Save(path, [new("a", torch.ones(2))]);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<NotSupportedException>(() =>
            SafetensorsTorch.Save(path, [new("a", torch.ones(2)), new("c", torch.zeros(2, dtype: ScalarType.ComplexFloat32))]));

        Assert.Contains("'c'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void ASaveThatFailsHalfwayLeavesThePreviousFileIntactAndNoTemporaryBehind()
    {
        var path = Path.Combine(_directory, "crash.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafetensorsTorch.Save(path, [new("a", torch.ones(4))]);
        }
        var before = File.ReadAllBytes(path);
        var failing = new SafetensorsEntry("b", SafetensorsDType.F32, [1024], 4096, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("disk unplugged");
        });

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, [failing])));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["crash.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    private static Tensor RandomTensor(ScalarType dtype, long[] shape) => dtype switch
    {
        ScalarType.Bool => torch.rand(shape) > 0.5,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 =>
            torch.randint(-100, 100, shape).to(dtype).abs(),
        _ => torch.randn(shape).to(dtype),
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
