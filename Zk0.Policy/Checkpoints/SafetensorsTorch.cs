using TorchSharp;
using Zk0.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Moves tensors between TorchSharp and safetensors files, keeping the dtype. Reading copies each
/// tensor once, from the memory-mapped file straight into the tensor's storage.
/// </summary>
public static class SafetensorsTorch
{
    public static Tensor Load(SafetensorsFile file, string name, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGetInfo(name, out var info))
        {
            file.GetInfo(name); // throws the descriptive KeyNotFoundException
        }

        var cpu = torch.empty(info.Shape, SafetensorsTorchDTypes.ToScalarType(info.DType), torch.CPU);
        if (info.ByteLength > 0)
        {
            // Tensor.bytes on a contiguous CPU tensor is a span over its own storage: this is the one copy.
            file.GetBytes(name).CopyTo(cpu.bytes);
        }
        if (device is null || device.type == DeviceType.CPU)
        {
            return cpu;
        }
        using (cpu)
        {
            return cpu.to(device);
        }
    }

    public static Dictionary<string, Tensor> LoadAll(string path, Device? device = null)
    {
        using var file = SafetensorsFile.Open(path);
        var tensors = new Dictionary<string, Tensor>(file.Tensors.Count, StringComparer.Ordinal);
        try
        {
            foreach (var info in file.Tensors)
            {
                tensors.Add(info.Name, Load(file, info.Name, device));
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return tensors;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> through a temporary file in the same
    /// folder that replaces the target only once complete, so a crash never leaves a half-written file.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.Select(pair => ToEntry(pair.Key, pair.Value)).ToArray();
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, entries, metadata));
    }

    /// <summary>A writer entry that streams the tensor's bytes, moving it to the CPU only while it is written.</summary>
    public static SafetensorsEntry ToEntry(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dtype = SafetensorsTorchDTypes.ToSafetensors(tensor.dtype, name);
        var shape = tensor.shape.ToArray();
        var byteLength = SafetensorsDTypes.ByteLengthOf(dtype, shape);
        return new SafetensorsEntry(name, dtype, shape, byteLength, output => WriteBytes(tensor, output));
    }

    private static void WriteBytes(Tensor tensor, Stream output)
    {
        if (tensor.numel() == 0)
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        var source = tensor.detach();
        if (source.device_type != DeviceType.CPU)
        {
            source = source.cpu();
        }
        source = source.contiguous();

        output.Write(source.bytes);
    }
}
