using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Federation.Validation;

/// <summary>
/// Checks a model before a run adopts it as its initial model: a readable safetensors file with at least one
/// floating-point tensor, every value finite. Reads the file chunk by chunk.
/// </summary>
public static class ModelValidator
{
    /// <summary>Null when the model may be adopted; otherwise why not.</summary>
    public static string? Check(string modelPath)
    {
        SafetensorsReader model;
        try
        {
            model = SafetensorsReader.Open(modelPath);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return $"it is not a readable safetensors file: {e.Message.Replace(Path.GetFullPath(modelPath), "the model", StringComparison.Ordinal)}";
        }
        using (model)
        {
            var floats = model.Tensors.Where(t => FloatTensors.IsFloat(t.DType)).ToList();
            if (floats.Count == 0)
                return model.Tensors.Count == 0
                    ? "it holds no tensors"
                    : $"it holds no floating-point tensor (only {string.Join(", ", model.Tensors.Select(t => $"'{t.Name}' {t.DType}").Take(3))}), so nothing could be trained";
            using var scan = new TensorScan();
            var unused = 0.0;
            return floats.Select(info => scan.Scan(model, info, null, null, ref unused)).FirstOrDefault(problem => problem is not null);
        }
    }
}
