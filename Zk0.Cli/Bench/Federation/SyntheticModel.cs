using System.IO.Pipelines;
using System.Security.Cryptography;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// A model of a given size made of 1 Mi-element tensors whose values are a function of (variant, position), so every
/// synthetic node's update is distinct (no content-addressed sharing) yet never has to be stored on the node's side:
/// it is generated once to learn its hash and again while it streams to the SuperLink.
/// </summary>
public sealed class SyntheticModel(long parameters, SafetensorsDType dtype)
{
    private const int TensorElements = 1 << 20;

    public long Parameters => parameters;

    /// <summary>Writes variant <paramref name="variant"/> (0 is the base model; nodes use 1, 2, …).</summary>
    public void Write(Stream output, int variant) => SafetensorsWriter.Write(output, Entries(variant), new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>SHA-256 and size of a variant, computed without storing it.</summary>
    public (string Sha256, long Size) Hash(int variant)
    {
        using var hashing = new HashingSink();
        Write(hashing, variant);
        return (hashing.Hash(), hashing.Length);
    }

    /// <summary>A variant as a readable stream, generated while it is read.</summary>
    public Stream OpenRead(int variant, out Task producer)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
        producer = Task.Run(async () =>
        {
            try
            {
                await using (var writer = pipe.Writer.AsStream()) Write(writer, variant);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        });
        return pipe.Reader.AsStream();
    }

    public void WriteFile(string path, int variant)
    {
        using var file = File.Create(path);
        Write(file, variant);
    }

    private List<SafetensorsEntry> Entries(int variant)
    {
        var entries = new List<SafetensorsEntry>();
        for (long start = 0, index = 0; start < parameters; start += TensorElements, index++)
        {
            var count = Math.Min(TensorElements, parameters - start);
            var info = new SafetensorsTensorInfo($"layers.{index}.weight", dtype, [count], 0, count * FloatTensors.ElementSize(dtype));
            entries.Add(FloatTensors.Computed(info, dtype, (offset, destination) => Fill(variant, start + offset, destination)));
        }
        return entries;
    }

    private static void Fill(int variant, long position, Span<float> destination)
    {
        var level = 0.5f + variant * 0.001f;
        for (var i = 0; i < destination.Length; i++)
            destination[i] = level + ((position + i) % 251) * 1e-4f;
    }

    private sealed class HashingSink : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
