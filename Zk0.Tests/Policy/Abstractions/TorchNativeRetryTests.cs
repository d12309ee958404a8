using System.Runtime.InteropServices;
using Zk0.Policy.Abstractions;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class TorchNativeRetryTests
{
    [Fact]
    public void A_native_error_is_retried_once_and_the_second_result_returned()
    {
        var calls = 0;
        var retried = new List<string>();
        var result = TorchNativeRetry.Run(() => ++calls == 1 ? throw new ExternalException("Expected false to be true") : 42, e => retried.Add(e.Message));
        Assert.Equal(42, result);
        Assert.Equal(2, calls);
        Assert.Equal(["Expected false to be true"], retried);
    }

    [Fact]
    public void A_native_error_that_repeats_is_thrown()
    {
        var calls = 0;
        Assert.Throws<ExternalException>(() => TorchNativeRetry.Run<int>(() => { calls++; throw new ExternalException("shape mismatch"); }));
        Assert.Equal(TorchNativeRetry.Attempts, calls);
    }

    [Fact]
    public void Other_errors_are_not_retried()
    {
        var calls = 0;
        Assert.Throws<InvalidDataException>(() => TorchNativeRetry.Run<int>(() => { calls++; throw new InvalidDataException("bad file"); }));
        Assert.Equal(1, calls);
    }
}
