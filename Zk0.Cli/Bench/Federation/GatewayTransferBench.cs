using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// A large blob through the gateway (node → YARP → SuperLink, hashed and stored; and back) against the same bytes
/// over one raw loopback TCP connection in the same run, the machine's own limit for a single stream.
/// </summary>
public sealed class GatewayTransferBench : IFederationBench
{
    /// <summary>The first transfers run while the services' JIT is still compiling the paths; they are not timed.</summary>
    private const int WarmUps = 2;
    private const int Repetitions = 3;
    /// <summary>1 MiB reads and writes: what a single TCP stream needs to reach this machine's loopback limit.</summary>
    private const int RawBufferBytes = 1 << 20;

    public string Name => "transfer";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var directory = Path.Combine(settings.WorkDirectory, "transfer");
        Directory.CreateDirectory(directory);
        try
        {
            var blob = Path.Combine(directory, "blob.bin");
            WriteRandomFile(blob, settings.TransferBytes);
            var hash = await ContentHash.OfFileAsync(blob, ct);
            var raw = await BestAsync(() => RawTcpAsync(blob, ct));
            log($"raw loopback TCP: {Rate(settings.TransferBytes, raw)}");

            using var federation = await BenchFederation.StartAsync(Path.Combine(directory, "federation"), withGateway: true, null, ct);
            var (gatewayUp, gatewayDown) = await MeasureAsync(federation.FleetAddress, blob, hash, ct);
            var (directUp, directDown) = await MeasureAsync(federation.SuperLinkAddress, blob, hash, ct);
            var size = $"{settings.TransferBytes / 1e6:0} MB";
            string Detail(TimeSpan through) => $"gateway {Rate(settings.TransferBytes, through)}, raw TCP {Rate(settings.TransferBytes, raw)}";
            return
            [
                BenchRow.Compare($"upload {size} through the gateway vs raw loopback TCP", "≥ 50 %", raw / gatewayUp * 100, v => v >= 50, "0 '%'", Detail(gatewayUp) + "; hashed and stored by the SuperLink"),
                BenchRow.Compare($"download {size} through the gateway vs raw loopback TCP", "≥ 50 %", raw / gatewayDown * 100, v => v >= 50, "0 '%'", Detail(gatewayDown) + "; hashed by the receiver"),
                BenchRow.Figure($"upload / download {size} straight to the SuperLink", $"{raw / directUp * 100:0} % / {raw / directDown * 100:0} %",
                    $"{Rate(settings.TransferBytes, directUp)} / {Rate(settings.TransferBytes, directDown)} without the gateway hop"),
            ];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(TimeSpan Upload, TimeSpan Download)> MeasureAsync(string address, string blob, string hash, CancellationToken ct)
    {
        using var channel = BenchFederation.Channel(address);
        var fleet = new Fleet.FleetClient(channel);
        var upload = await BestAsync(async () =>
        {
            await using var file = OpenSequential(blob);
            var start = Stopwatch.GetTimestamp();
            await BlobTransfer.UploadAsync(fleet, file, hash, file.Length, BlobCaller.Operator, ct);
            return Stopwatch.GetElapsedTime(start);
        });
        var download = await BestAsync(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            await BlobTransfer.DownloadAsync(fleet, hash, Stream.Null, BlobCaller.Operator, ct);
            return Stopwatch.GetElapsedTime(start);
        });
        return (upload, download);
    }

    /// <summary>The file's bytes over one loopback TCP connection to a reader that discards them.</summary>
    private static async Task<TimeSpan> RawTcpAsync(string blob, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var receiving = Task.Run(async () =>
        {
            using var server = await listener.AcceptTcpClientAsync(ct);
            await using var stream = server.GetStream();
            var buffer = new byte[RawBufferBytes];
            long received = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0) received += read;
            return received;
        }, ct);
        await using var file = OpenSequential(blob);
        var start = Stopwatch.GetTimestamp();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct);
            await using var stream = client.GetStream();
            await file.CopyToAsync(stream, RawBufferBytes, ct);
        }
        var total = await receiving;
        if (total != file.Length) throw new InvalidOperationException($"Raw TCP received {total} of {file.Length} bytes.");
        return Stopwatch.GetElapsedTime(start);
    }

    private static async Task<TimeSpan> BestAsync(Func<Task<TimeSpan>> measure)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < WarmUps + Repetitions; i++)
        {
            var elapsed = await measure();
            if (i >= WarmUps && elapsed < best) best = elapsed;
        }
        return best;
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static void WriteRandomFile(string path, long size)
    {
        var random = new Random(14);
        var buffer = new byte[BlobTransfer.ChunkSize];
        using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    private static string Rate(long bytes, TimeSpan elapsed) => $"{bytes / elapsed.TotalSeconds / 1e9:0.00} GB/s";
}
