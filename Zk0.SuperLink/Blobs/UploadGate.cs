using Microsoft.Extensions.Options;
using Zk0.SuperLink.Hosting;

namespace Zk0.SuperLink.Blobs;

/// <summary>
/// Caps how many uploads the SuperLink receives at once. A receiving upload holds message buffers and a share of the
/// CPU for hashing; the others wait before reading, so HTTP/2 flow control keeps their bytes on the nodes' side (at
/// most one stream window each here), and the SuperLink's memory stays flat however many nodes finish together.
/// </summary>
public sealed class UploadGate(IOptions<SuperLinkOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentUploads);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
