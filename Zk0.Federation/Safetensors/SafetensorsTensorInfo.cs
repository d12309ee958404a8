namespace Zk0.Federation.Safetensors;

/// <summary>One tensor of a safetensors file; <see cref="DataOffset"/> is absolute within the file.</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataOffset, long ByteLength)
{
    public long ElementCount => ByteLength / DType.ElementSize();
}
