using Zk0.SuperNode.Tasks;

namespace Zk0.Tests.SuperNode.Tasks;

public sealed class TorchThreadsTests
{
    [Theory]
    [InlineData("many")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void ASettingThatIsNotAThreadCountIsNamedWithWhatToGive(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TorchThreads.Apply(setting));

        Assert.Contains("SuperNode:TorchThreads", error.Message);
        Assert.Contains($"'{setting}'", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    public void AbsentOrZeroLeavesLibtorchsDefault(string? setting)
    {
        var before = TorchSharp.torch.get_num_threads();

        TorchThreads.Apply(setting);

        Assert.Equal(before, TorchSharp.torch.get_num_threads());
    }
}
