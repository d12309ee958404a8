using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Checkpoint;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// Builds SmolVLA for a run: from the checkpoint directory in <c>policy-path</c> (e.g. <c>lerobot/smolvla_base</c>), or
/// the small configuration for the dataset's shapes with seeded weights. Two calls with the same options are identical.
/// </summary>
public sealed class SmolVlaPolicyFactory : IPolicyFactory
{
    public string PolicyType => SmolVlaFederatedPolicy.TypeName;

    public IFederatedPolicy Create(PolicyCreateOptions options)
    {
        options.Features.Validate();
        var settings = SmolVlaRunSettings.From(options.Settings);
        SmolVlaPolicy policy;
        if (settings.CheckpointDirectory is { } directory)
        {
            policy = SmolVlaCheckpoint.Load(directory);
        }
        else
        {
            policy = new SmolVlaPolicy(SmallSmolVla.Architecture(options.Features, settings));
            SmolVlaInitialization.Apply(policy, options.Seed);
        }
        try
        {
            var tokenizer = SmolVlaTokenizers.For(policy.Config, settings.CheckpointDirectory);
            return new SmolVlaFederatedPolicy(policy, tokenizer, options.Features, options.Device);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }
}
