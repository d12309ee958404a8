using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.Policy.Checkpoints;

namespace Zk0.Tests.Evaluator.Checkpoints;

public static class PulledCheckpoint
{
    /// <summary>The folder starts the run's policy as <c>policy-path</c> (as nodes build it) with the blob's trainable tensors.</summary>
    public static void AssertLoadsWithTheBlobsTensors(string folder, string blob)
    {
        var settings = RunSettings.From(new Dictionary<string, string>(CheckpointFederation.RunConfig) { [RunSettings.PolicyPathKey] = folder });
        using var loaded = PolicyCatalog.Builtin().Create(settings.PolicyType, new PolicyCreateOptions(TinyPolicyData.Features, settings.Raw, Seed: 99));
        using var global = TinyPolicyData.CreatePolicy(seed: 1);
        global.ImportTrainable(blob);
        TrainableTensorsAssert.Same(global, loaded);
    }
}
