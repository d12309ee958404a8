using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>Three strided convolutions and a global average pool: one feature vector per camera image.</summary>
public sealed class ImageEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;

    public ImageEncoder(int inChannels, int channels) : base(nameof(ImageEncoder))
    {
        conv1 = nn.Conv2d(inChannels, channels, kernel_size: 5, stride: 2, padding: 2);
        conv2 = nn.Conv2d(channels, channels * 2, kernel_size: 3, stride: 2, padding: 1);
        conv3 = nn.Conv2d(channels * 2, channels * 2, kernel_size: 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public int OutputSize => (int)conv3.weight!.shape[0];

    public override Tensor forward(Tensor images)
    {
        var x = nn.functional.relu(conv1.forward(images));
        x = nn.functional.relu(conv2.forward(x));
        x = nn.functional.relu(conv3.forward(x));
        return x.mean([2L, 3L]);
    }
}
