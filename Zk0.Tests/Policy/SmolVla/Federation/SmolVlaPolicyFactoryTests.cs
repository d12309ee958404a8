using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Federation;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.Policy.SmolVla.Federation;

public sealed class SmolVlaPolicyFactoryTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-smolvla-factory-");

    [Fact]
    public void SmolVla_is_the_default_policy_of_a_run_and_bc_selects_behaviour_cloning()
    {
        Assert.Equal("smolvla", RunSettings.From(new Dictionary<string, string>()).PolicyType);
        Assert.Equal("behaviour-cloning", RunSettings.From(new Dictionary<string, string> { ["policy"] = "bc" }).PolicyType);
        Assert.Equal("smolvla", RunSettings.From(new Dictionary<string, string> { ["policy-type"] = "smolvla" }).PolicyType);
    }

    [Fact]
    public void The_catalog_builds_SmolVla_with_the_shipped_tokenizer()
    {
        var catalog = new PolicyCatalog([new SmolVlaPolicyFactory(), new BehaviourCloningPolicyFactory()]);
        Assert.True(File.Exists(Path.Combine(SmolVlaTokenizers.ShippedDirectory, "tokenizer.json")));

        using var policy = catalog.Create("smolvla", new PolicyCreateOptions(TinyPolicyData.Features, TinySmolVla.Settings(), 1));

        Assert.Equal("smolvla", policy.PolicyType);
    }

    [Fact]
    public void Equal_seeds_give_identical_initial_weights_and_other_seeds_do_not()
    {
        string Export(long seed, string name)
        {
            using var policy = TinySmolVla.Create(seed);
            var path = Path.Combine(_work.FullName, name);
            policy.ExportTrainable(path);
            return path;
        }

        Assert.Equal(File.ReadAllBytes(Export(1, "a")), File.ReadAllBytes(Export(1, "b")));
        Assert.NotEqual(File.ReadAllBytes(Export(1, "c")), File.ReadAllBytes(Export(2, "d")));
    }

    [Fact]
    public void A_checkpoint_directory_given_as_policy_path_is_loaded_with_its_weights()
    {
        var checkpoint = Path.Combine(_work.FullName, "checkpoint");
        var saved = Path.Combine(_work.FullName, "saved.safetensors");
        var loaded = Path.Combine(_work.FullName, "loaded.safetensors");
        using (var original = (SmolVlaFederatedPolicy)TinySmolVla.Create(seed: 6))
        {
            SmolVlaCheckpoint.Save(original.Policy, checkpoint);
            original.ExportTrainable(saved);
        }

        using var fromDisk = TinySmolVla.Create(seed: 99, TinySmolVla.Settings((SmolVlaRunSettings.PolicyPathKey, checkpoint)));
        fromDisk.ExportTrainable(loaded);

        Assert.Equal(File.ReadAllBytes(saved), File.ReadAllBytes(loaded));
    }

    [Fact]
    public void A_policy_path_that_is_not_a_directory_is_a_clear_error()
    {
        var missing = Path.Combine(_work.FullName, "nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() => TinySmolVla.Create(1, TinySmolVla.Settings((SmolVlaRunSettings.PolicyPathKey, missing))));

        Assert.Contains("policy-path", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Theory]
    [InlineData(SmolVlaRunSettings.HiddenKey, "30")]
    [InlineData(SmolVlaRunSettings.LayersKey, "3")]
    [InlineData(SmolVlaRunSettings.ImageSizeKey, "big")]
    public void Bad_size_settings_are_rejected_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SmolVlaRunSettings.From(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
