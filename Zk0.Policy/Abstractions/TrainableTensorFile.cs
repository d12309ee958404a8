using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>Writes and reads a policy's trainable tensors as safetensors, keyed by parameter name.</summary>
public static class TrainableTensorFile
{
    public const string PolicyTypeMetadataKey = "zk0.policy_type";

    public static void Export(
        string path, string policyType, IReadOnlyList<(string Name, Tensor Tensor)> tensors, SafetensorsDType wireDType)
    {
        var wireType = wireDType switch
        {
            SafetensorsDType.F32 => ScalarType.Float32,
            SafetensorsDType.BF16 => ScalarType.BFloat16,
            SafetensorsDType.F16 => ScalarType.Float16,
            _ => throw new ArgumentException($"Wire dtype {wireDType} is not supported for model updates; use F32 or BF16."),
        };
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var converted = tensors
            .Select(t => new KeyValuePair<string, Tensor>(t.Name, t.Tensor.detach().to(wireType).cpu().contiguous()))
            .ToList();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", [PolicyTypeMetadataKey] = policyType };
        SafetensorsTorch.Save(path, converted, metadata);
    }

    /// <summary>Checks every name and shape first, then copies; on any mismatch nothing is changed.</summary>
    public static void Import(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model payload '{path}' does not exist.", path);

        var loaded = SafetensorsTorch.LoadAll(path);
        try
        {
            foreach (var (name, target) in tensors)
            {
                if (!loaded.TryGetValue(name, out var source) && ControlVariateTensors.Is(name))
                    throw new InvalidDataException(
                        $"Model payload '{path}' has no SCAFFOLD control variate '{name}': the run trains with drift-correction=scaffold " +
                        "but its model was made without it (an initial-model uploaded from elsewhere?). Start the run without initial-model, or without drift-correction.");
                if (source is null)
                    throw new InvalidDataException(
                        $"Model payload '{path}' has no tensor '{name}'. It was written for a different policy or configuration; " +
                        "check the run's policy-type and policy settings.");
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException(
                        $"Model payload '{path}': tensor '{name}' has shape [{string.Join(", ", source.shape)}] " +
                        $"but the policy expects [{string.Join(", ", target.shape)}]; check the dataset features and policy settings.");
            }

            using var _ = no_grad();
            foreach (var (name, target) in tensors)
            {
                // Held in a variable until copy_ returns: an inline temporary is garbage once its handle is read, and a
                // collection on another thread could free it mid-copy (a segfault in libtorch's copy, seen in the AppHost).
                using var converted = loaded[name].to(target.dtype, target.device);
                target.copy_(converted);
            }
        }
        finally
        {
            foreach (var tensor in loaded.Values) tensor.Dispose();
        }
    }
}
