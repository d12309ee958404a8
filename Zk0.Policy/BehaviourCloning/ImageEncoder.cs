using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// Convolutions, then two kinds of features: a spatial softmax turns each learned keypoint map into the expected image
/// position (x, y) of its activation (where things are: the cube, the jaws), and average pooling keeps what is in the
/// picture (which cube colour, so which task). Either alone fails in closed loop: without positions the arm cannot find
/// the cube, without the pooled features a keypoint cannot tell whether what it tracks is there at all.
/// </summary>
public sealed class ImageEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly Conv2d keypoints;

    public ImageEncoder(int inChannels, int channels, int keypointCount) : base(nameof(ImageEncoder))
    {
        conv1 = nn.Conv2d(inChannels, channels, kernel_size: 5, stride: 2, padding: 2);
        conv2 = nn.Conv2d(channels, channels * 2, kernel_size: 3, stride: 2, padding: 1);
        conv3 = nn.Conv2d(channels * 2, channels * 2, kernel_size: 3, stride: 1, padding: 1);
        keypoints = nn.Conv2d(channels * 2, keypointCount, kernel_size: 1);
        RegisterComponents();
    }

    /// <summary>Two coordinates per keypoint, then one mean per feature map.</summary>
    public int OutputSize => 2 * (int)keypoints.weight!.shape[0] + (int)conv3.weight!.shape[0];

    public override Tensor forward(Tensor images)
    {
        var x = nn.functional.relu(conv1.forward(images));
        x = nn.functional.relu(conv2.forward(x));
        x = nn.functional.relu(conv3.forward(x));
        var maps = keypoints.forward(x);
        var (batch, count, height, width) = (maps.shape[0], maps.shape[1], maps.shape[2], maps.shape[3]);
        var attention = nn.functional.softmax(maps.view(batch, count, height * width), dim: 2).view(batch, count, height, width);
        var xs = linspace(-1, 1, width, dtype: maps.dtype, device: maps.device).view(1, 1, 1, width);
        var ys = linspace(-1, 1, height, dtype: maps.dtype, device: maps.device).view(1, 1, height, 1);
        return cat([(attention * xs).sum([2L, 3L]), (attention * ys).sum([2L, 3L]), x.mean([2L, 3L])], 1);
    }
}
