using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>LeRobot's <c>pad_vector</c>: zero-pads the last dimension up to a fixed width (never truncates).</summary>
public static class VectorPadding
{
    public static Tensor PadLastDimension(Tensor vector, int width, string featureName)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var current = vector.shape[^1];
        if (current > width)
        {
            throw new ArgumentException(
                $"'{featureName}' has {current} values in its last dimension, more than the configured maximum {width}; raise max_state_dim / max_action_dim.",
                nameof(vector));
        }
        if (current == width)
        {
            return vector.alias();
        }
        var shape = vector.shape.ToArray();
        shape[^1] = width;
        var padded = torch.zeros(shape, vector.dtype, vector.device);
        padded[TensorIndex.Ellipsis, TensorIndex.Slice(0, current)] = vector;
        return padded;
    }
}
