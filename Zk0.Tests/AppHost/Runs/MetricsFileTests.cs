using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class MetricsFileTests
{
    [Fact]
    public void Every_node_update_carries_the_model_it_was_trained_from_next_to_its_own_hash()
    {
        var metrics = SampleRun.MetricsJson(SampleRun.Detail());

        var rounds = metrics.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(3, rounds.Count);
        foreach (var round in rounds)
        {
            var number = round.GetProperty("round").GetInt32();
            foreach (var node in round.GetProperty("train").EnumerateObject())
            {
                Assert.Equal(SampleRun.Hash(number - 1), node.Value.GetProperty("base_model_hash").GetString());
                Assert.Matches("^[0-9a-f]{64}$", node.Value.GetProperty("update_hash").GetString());
            }
            Assert.Equal(SampleRun.Hash(number), round.GetProperty("model_hash").GetString());
        }
    }

    [Fact]
    public void A_lost_run_says_lost_and_why_and_keeps_the_rounds_known_before()
    {
        using var stream = new MemoryStream();
        MetricsFile.Write(SampleRun.Detail(), stream, lost: "Redis lost it");
        using var metrics = System.Text.Json.JsonDocument.Parse(stream.ToArray());

        Assert.Equal("lost", metrics.RootElement.GetProperty("status").GetString());
        Assert.Equal("Redis lost it", metrics.RootElement.GetProperty("message").GetString());
        Assert.Equal(3, metrics.RootElement.GetProperty("rounds").GetArrayLength());
    }
}
