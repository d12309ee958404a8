namespace Zk0.Policy.Checkpoints;

/// <summary>
/// The normalization saved with a LeRobot checkpoint, from either layout: the processor pipelines of LeRobot 0.4 and
/// newer, or the older buffers inside <c>model.safetensors</c>.
/// </summary>
public static class CheckpointNormalizationReader
{
    public static CheckpointNormalization Read(string directory)
    {
        using var checkpoint = LeRobotCheckpoint.Open(directory);
        return ReadIfPresent(checkpoint)
            ?? throw new InvalidDataException(
                $"Checkpoint '{checkpoint.DirectoryPath}' holds no normalization: neither {ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Preprocessor)} " +
                $"(LeRobot 0.4 and newer) nor normalization buffers in {LeRobotCheckpoint.WeightsFileName} (older LeRobot).");
    }

    /// <summary>The saved normalization, or null for a checkpoint that carries none; a layout with missing pieces is an error.</summary>
    public static CheckpointNormalization? ReadIfPresent(LeRobotCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (ProcessorPipelineReader.HasPipelines(checkpoint.DirectoryPath))
            return ProcessorPipelineReader.ReadNormalization(checkpoint.DirectoryPath);
        return LegacyNormalizationBuffers.HasBuffers(checkpoint) ? LegacyNormalizationBuffers.Read(checkpoint) : null;
    }
}
