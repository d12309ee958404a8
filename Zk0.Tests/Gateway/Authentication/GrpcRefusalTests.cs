using Zk0.Gateway.Authentication;

namespace Zk0.Tests.Gateway.Authentication;

public sealed class GrpcRefusalTests
{
    [Theory]
    [InlineData("Request nonce was already used.", "Request nonce was already used.")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("sha256:ab12… is not registered", "sha256:ab12%E2%80%A6 is not registered")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void TheMessageIsPercentEncodedAsGrpcAsks(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcRefusal.PercentEncode(message));
        Assert.Equal(message, Uri.UnescapeDataString(encoded));
    }
}
