namespace Zk0.Federation.Safetensors;

/// <summary>The element types this codec reads and writes, named as in the safetensors header.</summary>
public enum SafetensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}

public static class SafetensorsDTypes
{
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The header spelling ("F32", "BF16", ...).</summary>
    public static string HeaderName(this SafetensorsDType dtype) => dtype.ToString();

    public static bool TryParse(string headerName, out SafetensorsDType dtype)
    {
        // Enum.TryParse would also accept numbers and other casings; the format does not.
        foreach (var candidate in Enum.GetValues<SafetensorsDType>())
        {
            if (string.Equals(candidate.ToString(), headerName, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    public static string SupportedNames { get; } = string.Join(", ", Enum.GetNames<SafetensorsDType>());

    /// <summary>product(shape) · element size, with overflow and negative-dimension checks.</summary>
    public static long ByteLengthOf(SafetensorsDType dtype, IReadOnlyList<long> shape)
    {
        long elements = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a negative dimension.", nameof(shape));
            }
            elements = checked(elements * dim);
        }
        return checked(elements * dtype.ElementSize());
    }
}
