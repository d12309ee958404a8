using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

/// <summary>Where and in which dtype a module's parameters are created (the meta device builds without memory).</summary>
/// <remarks>
/// <paramref name="PlainModuleDType"/> is the dtype of the modules LeRobot creates in plain PyTorch after loading the
/// VLM (the five state/action/time projections and the expert's cross-attention k/v): float32 in a bf16
/// <c>smolvla_base</c>. Null means <paramref name="DType"/>.
/// </remarks>
public sealed record TensorPlacement(Device Device, ScalarType DType, ScalarType? PlainModuleDType = null)
{
    public static TensorPlacement CpuFloat32 => new(CPU, ScalarType.Float32);

    /// <summary>LeRobot's mixed layout: VLM and expert in bfloat16, plain PyTorch modules in float32.</summary>
    public static TensorPlacement LeRobotMixed(Device device) => new(device, ScalarType.BFloat16, ScalarType.Float32);

    public TensorPlacement ForPlainModules => this with { DType = PlainModuleDType ?? DType };
}

/// <summary>
/// A module whose children and parameters are registered explicitly under LeRobot's state_dict names,
/// so C# field names never leak into checkpoint keys.
/// </summary>
public abstract class NamedModule(string name) : nn.Module(name)
{
    protected override void RegisterComponents()
    {
    }

    protected T Child<T>(string childName, T module) where T : nn.Module
    {
        register_module(childName, module);
        return module;
    }

    protected static nn.Module<Tensor, Tensor> Linear(long input, long output, bool bias, TensorPlacement at) =>
        nn.Linear(input, output, hasBias: bias, device: at.Device, dtype: at.DType);

    /// <summary>Applies a linear layer after casting its input to the layer's weight dtype, as LeRobot does.</summary>
    public static Tensor Project(nn.Module<Tensor, Tensor> linear, Tensor input)
    {
        var weightType = ((TorchSharp.Modules.Linear)linear).weight!.dtype;
        return input.dtype == weightType ? linear.call(input) : linear.call(input.to(weightType));
    }
}
