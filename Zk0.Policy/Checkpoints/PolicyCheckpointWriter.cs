using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Saves a policy as a LeRobot checkpoint directory together with extra files (a model card): everything is written into
/// a staging folder and swapped in at once, so a crash leaves either the old directory or the complete new one.
/// </summary>
public static class PolicyCheckpointWriter
{
    public static void Write(IFederatedPolicy policy, string directory, IReadOnlyDictionary<string, string> extraFiles)
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
        }, replaced);
    }
}
