using TorchSharp;

namespace Zk0.Tests.Policy;

public class TorchSharpNativeLoadTests
{
    [Fact]
    public void NativeBridgeLoadsAndComputes()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        using var b = torch.tensor(new float[] { 4, 5, 6 });
        using var dot = torch.dot(a, b);

        Assert.Equal(32f, dot.item<float>());
    }
}
