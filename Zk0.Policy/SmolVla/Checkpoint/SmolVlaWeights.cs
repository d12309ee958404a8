using Zk0.Federation.Safetensors;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Checkpoint;

/// <summary>
/// Loads and saves a policy's parameters under LeRobot's state_dict key names (<c>model.safetensors</c>).
/// Loading is strict: a missing, unexpected or differently shaped tensor is an error naming the key. Stored dtypes
/// are converted to the module's dtype (BF16 checkpoints load into float32 modules and vice versa).
/// </summary>
public static class SmolVlaWeights
{
    public static void Load(SmolVlaPolicy policy, string safetensorsPath)
    {
        using var file = SafetensorsFile.Open(safetensorsPath);
        var parameters = policy.named_parameters().ToList();
        var expected = parameters.Select(p => p.name).ToHashSet();
        var unexpected = file.Tensors.Select(t => t.Name).Where(n => !expected.Contains(n)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"Checkpoint '{safetensorsPath}' holds tensor '{unexpected[0]}' (and {unexpected.Count - 1} more) that this SmolVLA configuration does not have; check that config.json matches the weights.");

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            if (!file.TryGetInfo(name, out var info))
                throw new InvalidDataException($"Checkpoint '{safetensorsPath}' lacks tensor '{name}'; the file is truncated or was saved from a different configuration.");
            if (!info.Shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"Checkpoint '{safetensorsPath}' has tensor '{name}' with shape [{string.Join(", ", info.Shape)}] but the model expects [{string.Join(", ", parameter.shape)}]; check that config.json matches the weights.");
            using var stored = SafetensorsTorch.Load(file, name);
            parameter.copy_(stored);
        }
    }

    public static void Save(SmolVlaPolicy policy, string safetensorsPath, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = policy.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter));
        SafetensorsTorch.Save(safetensorsPath, tensors, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
    }
}
