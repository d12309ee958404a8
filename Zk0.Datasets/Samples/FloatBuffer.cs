namespace Zk0.Datasets.Samples;

/// <summary>A dense float32 array with its shape (row-major), ready to become a tensor.</summary>
public sealed record FloatBuffer(float[] Data, int[] Shape)
{
    public int Length => Data.Length;
    public override string ToString() => $"float32[{string.Join(", ", Shape)}]";
}

/// <summary>A dense boolean mask with its shape, e.g. <c>action_is_pad</c> of shape [B, T].</summary>
public sealed record BoolBuffer(bool[] Data, int[] Shape)
{
    public override string ToString() => $"bool[{string.Join(", ", Shape)}]";
}
