namespace Zk0.Federation.Safetensors;

/// <summary>
/// One tensor to write. <see cref="WriteData"/> must write exactly <see cref="ByteLength"/> bytes
/// (little-endian, row-major) to the stream it is given.
/// </summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, long[] Shape, long ByteLength, Action<Stream> WriteData);
