using System.Text.Json;
using System.Text.Json.Nodes;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Saves a policy as a LeRobot checkpoint directory together with extra files (a model card): everything is written into
/// a staging folder and swapped in at once, so a crash leaves either the old directory or the complete new one. Given
/// the training run, the folder gets LeRobot 0.4's layout too: <c>train_config.json</c> and the pre-/post-processor
/// pipelines with the normalization statistics (which are never put into <c>model.safetensors</c>).
/// </summary>
public static class PolicyCheckpointWriter
{
    public static void Write(IFederatedPolicy policy, string directory, IReadOnlyDictionary<string, string> extraFiles, CheckpointTrainingRun? run = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        foreach (var name in extraFiles.Keys)
        {
            if (name != Path.GetFileName(name) || name is LeRobotCheckpoint.ConfigFileName or LeRobotCheckpoint.WeightsFileName)
                throw new ArgumentException($"Extra checkpoint file '{name}' must be a plain file name other than {LeRobotCheckpoint.ConfigFileName} and {LeRobotCheckpoint.WeightsFileName}.", nameof(extraFiles));
        }
        var replaced = extraFiles.Keys.Append(LeRobotCheckpoint.ConfigFileName).Append(LeRobotCheckpoint.WeightsFileName).ToList();
        CheckpointDirectory.Replace(Path.GetFullPath(directory), staging =>
        {
            policy.SaveCheckpoint(staging);
            foreach (var (name, content) in extraFiles)
                AtomicFile.Write(Path.Combine(staging, name), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(content)));
            if (run is not null)
                WriteTrainingFiles(policy, staging, run);
        }, replaced);
    }

    private static void WriteTrainingFiles(IFederatedPolicy policy, string staging, CheckpointTrainingRun run)
    {
        var policyConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(staging, LeRobotCheckpoint.ConfigFileName)))!.AsObject();
        var trainConfig = TrainConfigJson.Build(policyConfig, run).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(Path.Combine(staging, TrainConfigJson.FileName), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(trainConfig)));
        var leadingSteps = policy is SmolVlaFederatedPolicy smolVla
            ? SmolVlaProcessorSteps.Leading(smolVla.Policy.Config)
            : [.. ProcessorPipelineLayout.CommonLeadingSteps(), ProcessorPipelineLayout.DeviceStep("cpu")];
        ProcessorPipelineWriter.Write(staging, leadingSteps, run.Normalization);
    }
}
