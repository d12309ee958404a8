using System.Text;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Checks that a checkpoint's tensors fit a set of destination tensors, reporting every problem at once. Normalization
/// buffers of older LeRobot checkpoints are not weights and never count as unexpected.
/// </summary>
internal static class CheckpointCompatibility
{
    private const int MaxListed = 10;

    public static void ThrowIfIncompatible(LeRobotCheckpoint checkpoint, IReadOnlyList<KeyValuePair<string, Tensor>> targets, bool strict)
    {
        var missing = new List<string>();
        var wrongShape = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, target) in targets)
        {
            wanted.Add(key);
            if (!checkpoint.Weights.TryGetInfo(key, out var info))
            {
                missing.Add(key);
            }
            else if (!info.Shape.SequenceEqual(target.shape))
            {
                wrongShape.Add($"'{key}' is [{string.Join(", ", info.Shape)}] in the checkpoint but [{string.Join(", ", target.shape)}] in the model");
            }
        }
        var unexpected = strict
            ? checkpoint.Weights.Tensors.Select(t => t.Name).Where(name => !wanted.Contains(name) && !LegacyNormalizationBuffers.IsBuffer(name)).ToList()
            : [];

        if (missing.Count == 0 && wrongShape.Count == 0 && unexpected.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"Checkpoint '{checkpoint.WeightsPath}' does not match the model:");
        Append(message, "missing tensors", missing.Select(k => $"'{k}'").ToList());
        Append(message, "wrong shapes", wrongShape);
        Append(message, "unexpected tensors (load with strict: false to ignore them)", unexpected.Select(k => $"'{k}'").ToList());
        throw new InvalidDataException(message.ToString());
    }

    private static void Append(StringBuilder message, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        message.Append($" {items.Count} {title}: ").AppendJoin("; ", items.Take(MaxListed));
        if (items.Count > MaxListed)
        {
            message.Append($"; and {items.Count - MaxListed} more");
        }
        message.Append('.');
    }
}
