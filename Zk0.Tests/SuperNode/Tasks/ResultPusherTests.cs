using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Zk0.Federation.Protocol;
using Zk0.SuperNode;
using Zk0.SuperNode.Tasks;

namespace Zk0.Tests.SuperNode.Tasks;

/// <summary>A finished result is pushed until the task's deadline while the SuperLink does not answer, not a fixed handful of times.</summary>
public sealed class ResultPusherTests
{
    private static readonly IOptions<SuperNodeOptions> QuickRetries = Options.Create(new SuperNodeOptions
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(100),
    });

    private static readonly PushResultRequest Result = new() { NodeId = "n1", TaskId = "t1", RunId = "r1", Round = 1 };

    private static ResultPusher Pusher(GrpcChannel channel) =>
        new(new Fleet.FleetClient(channel), new TransientRetry(QuickRetries, NullLogger<TransientRetry>.Instance), NullLogger<ResultPusher>.Instance);

    [Fact]
    public async Task AResultIsDeliveredOnceTheSuperLinkAnswersAgainHoweverManyTriesThatTakes()
    {
        await using var fleet = await ScriptedFleet.StartAsync();
        fleet.UnavailablePushes = 12;
        using var channel = GrpcChannel.ForAddress(fleet.Address);
        var pusher = Pusher(channel);

        var delivered = await pusher.PushAsync(Result, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.True(delivered);
        Assert.Equal(13, fleet.PushAttempts);
        Assert.Equal("t1", (await fleet.NextResultAsync(TimeSpan.FromSeconds(5))).TaskId);
    }

    [Fact]
    public async Task PastTheTaskDeadlineThePusherGivesUp()
    {
        await using var fleet = await ScriptedFleet.StartAsync();
        fleet.UnavailablePushes = int.MaxValue;
        using var channel = GrpcChannel.ForAddress(fleet.Address);
        var pusher = Pusher(channel);
        var clock = Stopwatch.StartNew();

        var delivered = await pusher.PushAsync(Result, DateTimeOffset.UtcNow.AddSeconds(2), CancellationToken.None);

        Assert.False(delivered);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 10);
        Assert.True(fleet.PushAttempts > 5, $"{fleet.PushAttempts} attempts");
    }
}
