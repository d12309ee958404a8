using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.SuperNode;

/// <summary>
/// A real gRPC Fleet server in-process (Kestrel, HTTP/2) with the SuperLink's blob rules (chunked,
/// SHA-256 verified) and a queue of tasks the test hands out, recording what nodes send back.
/// </summary>
public sealed class ScriptedFleet : Fleet.FleetBase, IAsyncDisposable
{
    private readonly ConcurrentQueue<FederatedTask> _tasks = new();
    private readonly Channel<PushResultRequest> _results = Channel.CreateUnbounded<PushResultRequest>();
    private WebApplication? _app;

    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();
    public ConcurrentBag<RegisterNodeRequest> Registrations { get; } = new();
    public ConcurrentDictionary<string, bool> ForgottenNodes { get; } = new();
    /// <summary>Every pull, in arrival order. This server answers at once, as a SuperLink without long polls does.</summary>
    public ConcurrentQueue<PullTaskRequest> Pulls { get; } = new();
    /// <summary>When each heartbeat arrived.</summary>
    public ConcurrentQueue<DateTimeOffset> Heartbeats { get; } = new();
    public Uri Address { get; private set; } = null!;

    /// <param name="addServices">and <paramref name="mapServices"/>: serve more gRPC services (the Evaluator also needs Control)</param>
    /// <param name="certificate">serve TLS (HTTP/1.1 and HTTP/2) with it instead of h2c</param>
    public static async Task<ScriptedFleet> StartAsync(Action<IServiceCollection>? addServices = null, Action<WebApplication>? mapServices = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var fleet = new ScriptedFleet();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l =>
        {
            l.Protocols = certificate is null ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2;
            if (certificate is not null) l.UseHttps(certificate);
        }));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 8 << 20);
        builder.Services.AddSingleton(fleet);
        addServices?.Invoke(builder.Services);
        fleet._app = builder.Build();
        fleet._app.MapGrpcService<ScriptedFleet>();
        mapServices?.Invoke(fleet._app);
        await fleet._app.StartAsync();
        var address = fleet._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fleet.Address = new Uri(address);
        return fleet;
    }

    public void Enqueue(FederatedTask task) => _tasks.Enqueue(task);

    public string AddBlob(byte[] bytes)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Blobs[hash] = bytes;
        return hash;
    }

    public async Task<PushResultRequest> NextResultAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await _results.Reader.ReadAsync(cancellation.Token);
    }

    public override Task<RegisterNodeReply> RegisterNode(RegisterNodeRequest request, ServerCallContext context)
    {
        Registrations.Add(request);
        return Task.FromResult(new RegisterNodeReply { NodeId = $"node-{Registrations.Count}", HeartbeatIntervalMs = 200, LeaseDurationMs = 2000 });
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        if (ForgottenNodes.ContainsKey(request.NodeId)) throw new RpcException(new Status(StatusCode.NotFound, $"unknown node {request.NodeId}"));
        Heartbeats.Enqueue(DateTimeOffset.UtcNow);
        return Task.FromResult(new HeartbeatReply { LeaseExpiresUnixMs = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds() });
    }

    public override Task<PullTaskReply> PullTask(PullTaskRequest request, ServerCallContext context)
    {
        if (ForgottenNodes.ContainsKey(request.NodeId)) throw new RpcException(new Status(StatusCode.NotFound, $"unknown node {request.NodeId}"));
        Pulls.Enqueue(request);
        return Task.FromResult(_tasks.TryDequeue(out var task)
            ? new PullTaskReply { Task = task }
            : new PullTaskReply { RetryAfterMs = 100 });
    }

    /// <summary>How many pushes are answered Unavailable first, as while the SuperLink restarts.</summary>
    public int UnavailablePushes { get; set; }

    public int PushAttempts => _pushAttempts;

    private int _pushAttempts;

    /// <summary>How many uploads are answered Unavailable (after their bytes arrived), as while the SuperLink restarts.</summary>
    public int UnavailableUploads { get; set; }

    public int UploadAttempts => _uploadAttempts;

    private int _uploadAttempts;

    public override async Task<PushResultReply> PushResult(PushResultRequest request, ServerCallContext context)
    {
        if (Interlocked.Increment(ref _pushAttempts) <= UnavailablePushes)
            throw new RpcException(new Status(StatusCode.Unavailable, "the SuperLink is restarting"));
        await _results.Writer.WriteAsync(request);
        return new PushResultReply { Accepted = true };
    }

    public override async Task<UploadBlobReply> UploadBlob(IAsyncStreamReader<BlobChunk> requestStream, ServerCallContext context)
    {
        string? expectedHash = null;
        long expectedSize = 0;
        using var bytes = new MemoryStream();
        await foreach (var chunk in requestStream.ReadAllAsync())
        {
            if (expectedHash is null) (expectedHash, expectedSize) = (chunk.Sha256, chunk.TotalSize);
            chunk.Data.WriteTo(bytes);
        }
        if (Interlocked.Increment(ref _uploadAttempts) <= UnavailableUploads)
            throw new RpcException(new Status(StatusCode.Unavailable, "the SuperLink is restarting"));
        var data = bytes.ToArray();
        var actual = Convert.ToHexStringLower(SHA256.HashData(data));
        if (data.Length != expectedSize || actual != expectedHash)
            throw new RpcException(new Status(StatusCode.DataLoss, $"blob announced {expectedHash} ({expectedSize} bytes) but got {actual} ({data.Length} bytes)"));
        var present = !Blobs.TryAdd(actual, data);
        return new UploadBlobReply { Sha256 = actual, SizeBytes = data.Length, AlreadyPresent = present };
    }

    public override async Task DownloadBlob(DownloadBlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        if (!Blobs.TryGetValue(request.Sha256, out var data))
            throw new RpcException(new Status(StatusCode.NotFound, $"blob {request.Sha256} not found"));
        const int chunk = 64 * 1024;
        for (var offset = 0; offset < data.Length || offset == 0; offset += chunk)
        {
            var message = new BlobChunk { Data = ByteString.CopyFrom(data, offset, Math.Min(chunk, data.Length - offset)) };
            if (offset == 0) (message.Sha256, message.TotalSize) = (request.Sha256, data.Length);
            await responseStream.WriteAsync(message);
            if (offset == 0 && Interlocked.Increment(ref _downloadAttempts) <= CutDownloads)
            {
                // What a killed SuperLink leaves: the connection drops in the middle of the stream.
                context.GetHttpContext().Abort();
                return;
            }
            if (data.Length == 0) break;
        }
    }

    /// <summary>How many downloads end after their first chunk with the connection dropped, as when the SuperLink is killed.</summary>
    public int CutDownloads { get; set; }

    public int DownloadAttempts => _downloadAttempts;

    private int _downloadAttempts;

    /// <summary>Stores the trainable tensors of the tiny behaviour-cloning policy built from <paramref name="seed"/> as a blob; returns its hash.</summary>
    public string AddTinyModel(long seed)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var policy = TinyPolicyData.CreatePolicy(seed)) policy.ExportTrainable(path);
            return AddBlob(File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
