namespace Zk0.Federation.Safetensors;

/// <summary>A safetensors file or payload that breaks the format; the message names the file and, where known, the tensor.</summary>
public sealed class SafetensorsFormatException : FormatException
{
    public SafetensorsFormatException(string message) : base(message)
    {
    }

    public SafetensorsFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
