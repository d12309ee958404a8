using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Checkpoints;

public static class TrainableTensorsAssert
{
    /// <summary>Same trainable tensor names, shapes and values, in the same order.</summary>
    public static void Same(IFederatedPolicy expected, IFederatedPolicy actual)
    {
        Assert.Equal(expected.TrainableTensors.Select(t => t.Name), actual.TrainableTensors.Select(t => t.Name));
        foreach (var ((name, e), (_, a)) in expected.TrainableTensors.Zip(actual.TrainableTensors))
        {
            using var scope = NewDisposeScope();
            Assert.True(e.shape.SequenceEqual(a.shape), $"{name}: shapes differ");
            Assert.True(e.eq(a).all().item<bool>(), $"{name}: values differ");
        }
    }
}
