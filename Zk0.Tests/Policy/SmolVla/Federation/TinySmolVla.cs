using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Federation;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.Policy.SmolVla.Federation;

/// <summary>The smallest SmolVLA the factory builds (width 32, 2 layers, 32-pixel images) on the tiny learnable data.</summary>
public static class TinySmolVla
{
    public static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            [SmolVlaRunSettings.HiddenKey] = "32",
            [SmolVlaRunSettings.LayersKey] = "2",
            [SmolVlaRunSettings.ImageSizeKey] = "32",
            [SmolVlaRunSettings.DenoiseStepsKey] = "3",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    public static IFederatedPolicy Create(long seed, Dictionary<string, string>? settings = null) =>
        new SmolVlaPolicyFactory().Create(new PolicyCreateOptions(TinyPolicyData.Features, settings ?? Settings(), seed));

    public static LocalTrainingOptions Training(int steps = 3, long seed = 5, double mu = 0) =>
        new() { Steps = steps, LearningRate = 1e-3, ProximalMu = mu, Seed = seed };
}
