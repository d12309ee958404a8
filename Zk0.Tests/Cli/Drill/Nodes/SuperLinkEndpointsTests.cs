using Grpc.Core;
using Zk0.Cli.Drill.Nodes;

namespace Zk0.Tests.Cli.Drill.Nodes;

public sealed class SuperLinkEndpointsTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.Internal, true)]
    [InlineData(StatusCode.Unknown, true)]
    [InlineData(StatusCode.Cancelled, true)]
    [InlineData(StatusCode.DeadlineExceeded, false)]
    [InlineData(StatusCode.FailedPrecondition, false)]
    [InlineData(StatusCode.NotFound, false)]
    public void Only_a_missing_superlink_is_an_outage_not_its_answers(StatusCode code, bool outage)
    {
        Assert.Equal(outage, SuperLinkEndpoints.IsOutage(new RpcException(new Status(code, "")), CancellationToken.None));
    }

    [Fact]
    public void A_dropped_upload_stream_is_an_outage_unless_the_caller_cancelled()
    {
        Assert.True(SuperLinkEndpoints.IsOutage(new IOException("The request was aborted."), CancellationToken.None));
        Assert.False(SuperLinkEndpoints.IsOutage(new IOException("aborted"), new CancellationToken(canceled: true)));
        Assert.False(SuperLinkEndpoints.IsOutage(new RpcException(new Status(StatusCode.Cancelled, "")), new CancellationToken(canceled: true)));
    }
}
