using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// Training-time augmentation: every image moved by its own random offset of up to <c>pixels</c> in x and y (edges
/// repeated). With a few dozen demonstrations per task, a policy that sees the same scenes from slightly shifted
/// cameras learns where the cube is relative to the gripper rather than memorising pixels.
/// </summary>
public static class RandomShift
{
    public static Tensor Apply(Tensor images, int pixels, Generator generator)
    {
        if (pixels <= 0) return images;
        var (batch, height, width) = (images.shape[0], images.shape[2], images.shape[3]);
        using var offsets = (rand([batch, 2], generator: generator) * KeptScalars.IntTwo - KeptScalars.IntOne).to(images.dtype, images.device);
        // affine_grid works in [-1, 1] coordinates: a shift of p pixels is 2p / size.
        var scale = tensor(new[] { 2f * pixels / width, 2f * pixels / height }, dtype: images.dtype, device: images.device);
        var translation = offsets * scale;
        var theta = zeros([batch, 2, 3], dtype: images.dtype, device: images.device);
        theta[.., 0, 0] = tensor(1f, dtype: images.dtype);
        theta[.., 1, 1] = tensor(1f, dtype: images.dtype);
        theta[.., .., 2] = translation;
        var grid = nn.functional.affine_grid(theta, [batch, images.shape[1], height, width], align_corners: false);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }
}
