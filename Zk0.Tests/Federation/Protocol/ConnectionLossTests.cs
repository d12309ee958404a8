using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Federation.Protocol;

public sealed class ConnectionLossTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Cancelled)] // a stream the gateway reset because the SuperLink behind it died
    [InlineData(StatusCode.Unknown)] // an HTTP error page where a gRPC answer should be
    public void AServerThatWentAwayIsAConnectionLoss(StatusCode code) =>
        Assert.True(ConnectionLoss.Is(new RpcException(new Status(code, "gone")), CancellationToken.None));

    [Fact]
    public void ACallThisSideCancelledIsNotLost()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(ConnectionLoss.Is(new RpcException(new Status(StatusCode.Cancelled, "cancelled")), cancelled.Token));
        Assert.False(ConnectionLoss.Is(new RpcException(new Status(StatusCode.Unavailable, "gone")), cancelled.Token));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.PermissionDenied)]
    public void AnAnswerIsNotAConnectionLoss(StatusCode code) =>
        Assert.False(ConnectionLoss.Is(new RpcException(new Status(code, "answered")), CancellationToken.None));
}
