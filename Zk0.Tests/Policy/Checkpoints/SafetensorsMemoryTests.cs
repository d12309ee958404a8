using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>Reading goes from the memory map straight into tensor storage: no managed copy of the tensor bytes.</summary>
public class SafetensorsMemoryTests : IDisposable
{
    private const long TensorBytes = 16L << 20;

    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-st-mem-").FullName;

    [Fact]
    public void LoadingA16MegabyteTensorAllocatesAlmostNoManagedMemory()
    {
        var path = Path.Combine(_directory, "big.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafetensorsTorch.Save(path, [new("big", torch.ones(TensorBytes / 2, dtype: ScalarType.BFloat16))]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var file = SafetensorsFile.Open(path))
        using (var tensor = SafetensorsTorch.Load(file, "big"))
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(TensorBytes / 2, tensor.numel());
            Assert.True(allocated < TensorBytes / 64, $"Loading allocated {allocated} managed bytes for a {TensorBytes}-byte tensor.");
            Assert.Equal(1f, tensor[^1].to(ScalarType.Float32).item<float>());
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
