using Zk0.Datasets;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Uris;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Uris;

// Environment variables are process-wide: every test touching HF_* lives in this one class, which xunit runs sequentially.
public class DatasetUriTests
{
    private static Task<string> SmallDataset(string name) =>
        TestDatasets.WriteAsync(name, new LeRobotWriterOptions(), [3], spec: TestDatasets.Spec(cameras: 0));

    private static void WithHf(string? lerobotHome, string? hfHome, Action body)
    {
        var saved = (Environment.GetEnvironmentVariable("HF_LEROBOT_HOME"), Environment.GetEnvironmentVariable("HF_HOME"), Environment.GetEnvironmentVariable("HF_HUB_CACHE"));
        Environment.SetEnvironmentVariable("HF_LEROBOT_HOME", lerobotHome);
        Environment.SetEnvironmentVariable("HF_HOME", hfHome);
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", null);
        try { body(); }
        finally
        {
            Environment.SetEnvironmentVariable("HF_LEROBOT_HOME", saved.Item1);
            Environment.SetEnvironmentVariable("HF_HOME", saved.Item2);
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", saved.Item3);
        }
    }

    [Fact]
    public async Task LocalSchemeAndPlainPathsOpenTheSameDirectory()
    {
        var root = await SmallDataset("uri-local");

        Assert.Equal(root, DatasetUri.Resolve($"local:{root}"));
        Assert.Equal(root, DatasetUri.Resolve(root));
        using var dataset = LeRobotDataset.Open($"local:{root}");
        Assert.Equal(3, dataset.FrameCount);
    }

    [Fact]
    public void AMissingDirectorySaysWhichPath()
    {
        var error = Assert.Throws<DatasetException>(() => DatasetUri.Resolve("local:/no/such/dataset"));
        Assert.Contains("/no/such/dataset", error.Message);
    }

    [Fact]
    public async Task HfIdsResolveFromHfLeRobotHome()
    {
        var home = TestDatasets.NewDirectory("lerobot-home");
        var source = await SmallDataset("uri-hf1");
        Directory.CreateDirectory(Path.Combine(home, "lerobot"));
        Directory.Move(source, Path.Combine(home, "lerobot", "svla_so100_pickplace"));

        WithHf(home, null, () => Assert.Equal(Path.Combine(home, "lerobot", "svla_so100_pickplace"), DatasetUri.Resolve("hf:lerobot/svla_so100_pickplace")));
    }

    [Fact]
    public async Task HfIdsResolveFromHfHomeLeRobotAndFromTheHubSnapshotCache()
    {
        var hfHome = TestDatasets.NewDirectory("hf-home");
        var first = await SmallDataset("uri-hf2");
        Directory.CreateDirectory(Path.Combine(hfHome, "lerobot", "alice"));
        Directory.Move(first, Path.Combine(hfHome, "lerobot", "alice", "arm"));
        var second = await SmallDataset("uri-hf3");
        var repo = Path.Combine(hfHome, "hub", "datasets--bob--arm");
        Directory.CreateDirectory(Path.Combine(repo, "snapshots"));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        Directory.Move(second, Path.Combine(repo, "snapshots", "0123abcd"));
        await File.WriteAllTextAsync(Path.Combine(repo, "refs", "main"), "0123abcd\n");

        WithHf(null, hfHome, () =>
        {
            Assert.Equal(Path.Combine(hfHome, "lerobot", "alice", "arm"), DatasetUri.Resolve("hf:alice/arm"));
            Assert.Equal(Path.Combine(repo, "snapshots", "0123abcd"), DatasetUri.Resolve("hf:bob/arm"));
            Assert.Equal(Path.Combine(repo, "snapshots", "0123abcd"), DatasetUri.Resolve("hf:bob/arm@main"));
        });
    }

    [Fact]
    public void AnHfIdNotInTheCacheListsEveryPlaceLookedAt()
    {
        var hfHome = TestDatasets.NewDirectory("hf-empty");
        WithHf("/tmp/zk0-no-lerobot-home", hfHome, () =>
        {
            var error = Assert.Throws<DatasetException>(() => DatasetUri.Resolve("hf:carol/none"));
            Assert.Contains("/tmp/zk0-no-lerobot-home/carol/none", error.Message);
            Assert.Contains(Path.Combine(hfHome, "lerobot", "carol", "none"), error.Message);
            Assert.Contains("datasets--carol--none", error.Message);
        });
        Assert.Throws<DatasetException>(() => DatasetUri.Resolve("hf:not-an-id"));
    }

    [Fact]
    public async Task OtherSchemesPlugInThroughRegistration()
    {
        var root = await SmallDataset("uri-scheme");
        DatasetUri.RegisterScheme("zk0test", name => name == "demo" ? root : throw new DatasetException($"no {name}"));

        Assert.Equal(root, DatasetUri.Resolve("zk0test:demo"));
        Assert.Contains("Unknown dataset URI scheme", Assert.Throws<DatasetException>(() => DatasetUri.Resolve("nope:demo")).Message);
    }
}
