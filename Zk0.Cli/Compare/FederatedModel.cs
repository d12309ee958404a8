using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Federation;
using static TorchSharp.torch;

namespace Zk0.Cli.Compare;

/// <summary>
/// The federation's final model from <c>checkpoints/final/</c>: the run's settings with <c>policy-path</c> set to the
/// checkpoint (so a policy that loads checkpoints takes its frozen weights from there too), and its trainable tensors
/// read from the checkpoint by name, so the scored weights are the saved ones whatever the policy type.
/// </summary>
public static class FederatedModel
{
    public const string TrainableFileName = "federated.safetensors";

    public static RunSettings Settings(FederatedRun run) =>
        RunSettings.From(new Dictionary<string, string>(run.Config, StringComparer.Ordinal) { [SmolVlaRunSettings.PolicyPathKey] = run.FinalCheckpoint });

    /// <summary>Writes the final model's trainable tensors (the payload <c>ModelScorer</c> scores) and returns its path.</summary>
    public static string ExportTrainable(PolicyCatalog catalog, FederatedRun run, RunSettings settings, PolicyFeatures features, string outputDirectory, Device device)
    {
        using var checkpoint = OpenCheckpoint(run.FinalCheckpoint);
        using var policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));
        checkpoint.LoadInto(policy.TrainableTensors.Select(t => new KeyValuePair<string, Tensor>(t.Name, t.Tensor)), strict: false);
        var path = Path.Combine(outputDirectory, TrainableFileName);
        policy.ExportTrainable(path, SafetensorsDType.F32);
        return path;
    }

    private static LeRobotCheckpoint OpenCheckpoint(string directory)
    {
        try
        {
            return LeRobotCheckpoint.Open(directory);
        }
        catch (FileNotFoundException e)
        {
            throw new RunFolderException($"The federated model '{directory}' is incomplete: {e.Message} Rerun the federation with run outputs.");
        }
    }
}
