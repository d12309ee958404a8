using System.Globalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Federation.Validation;

/// <summary>
/// Checks a node's update against the round's global model before it can touch the aggregate: a well-formed header,
/// exactly the global model's tensors with their shapes and dtypes, every value finite and, when the run sets
/// <c>max-update-norm</c>, an L2 distance from the global model within it (its weights: SCAFFOLD's control variates are
/// node state, <see cref="ControlVariateTensors"/>). Reads both files chunk by chunk.
/// </summary>
public static class UpdateValidator
{
    /// <summary>Null when the update may be aggregated; otherwise why not, naming the tensor and the problem.</summary>
    public static string? Check(string updatePath, string globalModelPath, UpdateRules rules)
    {
        SafetensorsReader update;
        try
        {
            update = SafetensorsReader.Open(updatePath);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return $"it is not a readable safetensors file: {e.Message.Replace(Path.GetFullPath(updatePath), "the update", StringComparison.Ordinal)}";
        }
        using (update)
        using (var global = SafetensorsReader.Open(globalModelPath))
        {
            return CheckTensors(update, global, rules) ?? CheckValues(update, global, rules);
        }
    }

    private static string? CheckTensors(SafetensorsReader update, SafetensorsReader global, UpdateRules rules)
    {
        if (update.Tensors.FirstOrDefault(t => !global.TryGetInfo(t.Name, out _)) is { } extra)
            return $"tensor '{extra.Name}' is not in the global model";
        var missing = global.Tensors.Where(t => !update.TryGetInfo(t.Name, out _)).Select(t => $"'{t.Name}'").ToList();
        if (missing.Count > 0)
            return $"{missing.Count} of the global model's {global.Tensors.Count} tensors are missing ({string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", ..." : "")})";
        foreach (var info in update.Tensors)
        {
            var expected = global.GetInfo(info.Name);
            if (!info.Shape.SequenceEqual(expected.Shape))
                return $"tensor '{info.Name}' has shape [{string.Join(",", info.Shape)}], the global model has [{string.Join(",", expected.Shape)}]";
            if (info.DType != expected.DType && !(FloatTensors.IsFloat(expected.DType) && info.DType == rules.WireDType))
                return $"tensor '{info.Name}' is {info.DType}, the global model's is {expected.DType}" +
                    (rules.WireDType is { } wire && FloatTensors.IsFloat(expected.DType) ? $" (or the run's wire-dtype {wire})" : "");
        }
        return null;
    }

    private static string? CheckValues(SafetensorsReader update, SafetensorsReader global, UpdateRules rules)
    {
        using var scan = new TensorScan();
        var squaredDistance = 0.0;
        foreach (var info in update.Tensors.Where(t => FloatTensors.IsFloat(t.DType)))
        {
            var problem = rules.MaxUpdateNorm is null || ControlVariateTensors.Is(info.Name)
                ? scan.Scan(update, info, null, null, ref squaredDistance)
                : scan.Scan(update, info, global, global.GetInfo(info.Name), ref squaredDistance);
            if (problem is not null) return problem;
        }
        var norm = Math.Sqrt(squaredDistance);
        return norm > rules.MaxUpdateNorm
            ? $"its L2 distance from the global model is {norm.ToString("G6", CultureInfo.InvariantCulture)}, above {RunConfigKeys.MaxUpdateNorm}=" +
              rules.MaxUpdateNorm.Value.ToString(CultureInfo.InvariantCulture)
            : null;
    }
}
