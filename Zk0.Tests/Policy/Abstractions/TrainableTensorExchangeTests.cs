using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class TrainableTensorExchangeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-exchange-").FullName;

    [Fact]
    public void ExportedTensorsImportIntoAnotherPolicyExactly()
    {
        using var source = TinyPolicyData.CreatePolicy(seed: 1);
        using var target = TinyPolicyData.CreatePolicy(seed: 2);
        var path = Path.Combine(_directory, "update.safetensors");

        source.ExportTrainable(path);
        target.ImportTrainable(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(source.TrainableTensors.Select(t => t.Name).Order(), file.Tensors.Select(t => t.Name).Order());
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDType.F32, t.DType));
        foreach (var ((name, x), (_, y)) in source.TrainableTensors.Zip(target.TrainableTensors))
            Assert.True(x.allclose(y, 0, 0), $"tensor {name} differs after the round trip");
    }

    [Fact]
    public void ImportsSurviveGarbageCollectionsOnOtherThreads()
    {
        // One large tensor, so each copy takes long enough for a collection on another thread to land inside it.
        using var stored = rand(4_000_000);
        using var target = zeros(4_000_000);
        var path = Path.Combine(_directory, "large.safetensors");
        TrainableTensorFile.Export(path, "test", [("w", stored)], SafetensorsDType.F32);

        // The AppHost imports a model per checkpoint while other threads allocate; a temporary freed mid-copy crashed it.
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            for (var i = 0; i < 200; i++) TrainableTensorFile.Import(path, [("w", target)]);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.True(stored.allclose(target, 0, 0));
    }

    [Fact]
    public void Bfloat16ExportHalvesThePayloadAndRoundsTheWeights()
    {
        using var source = TinyPolicyData.CreatePolicy(seed: 1);
        using var target = TinyPolicyData.CreatePolicy(seed: 2);
        var f32 = Path.Combine(_directory, "f32.safetensors");
        var bf16 = Path.Combine(_directory, "bf16.safetensors");

        source.ExportTrainable(f32);
        source.ExportTrainable(bf16, SafetensorsDType.BF16);
        target.ImportTrainable(bf16);

        Assert.True(new FileInfo(bf16).Length < new FileInfo(f32).Length * 0.6);
        foreach (var ((_, x), (_, y)) in source.TrainableTensors.Zip(target.TrainableTensors))
            Assert.True(x.allclose(y, rtol: 1e-2, atol: 1e-3));
    }

    [Fact]
    public void APayloadForAnotherShapeIsRejectedAndLeavesThePolicyUnchanged()
    {
        using var wide = TinyPolicyData.CreatePolicy(seed: 1, new() { ["bc-hidden"] = "32" });
        using var target = TinyPolicyData.CreatePolicy(seed: 2);
        var before = target.TrainableTensors.Select(t => t.Tensor.clone()).ToList();
        var path = Path.Combine(_directory, "wide.safetensors");
        wide.ExportTrainable(path);

        var error = Assert.Throws<InvalidDataException>(() => target.ImportTrainable(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("hidden.weight", error.Message);
        Assert.All(target.TrainableTensors.Zip(before), pair => Assert.True(pair.First.Tensor.allclose(pair.Second, 0, 0)));
    }

    [Fact]
    public void AMissingPayloadFileIsNamedInTheError()
    {
        using var target = TinyPolicyData.CreatePolicy(seed: 2);
        var path = Path.Combine(_directory, "absent.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => target.ImportTrainable(path));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
