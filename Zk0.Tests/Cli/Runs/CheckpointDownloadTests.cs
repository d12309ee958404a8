using System.Formats.Tar;
using Microsoft.AspNetCore.Http;
using Zk0.Cli.Runs;

namespace Zk0.Tests.Cli.Runs;

/// <summary>The CLI side of <c>zk0 run pull</c>: the tar from the gateway becomes the output folder whole, or not at all.</summary>
public sealed class CheckpointDownloadTests : IAsyncLifetime
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-pull-");
    private readonly HttpClient _http = new();
    private ScriptedGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await ScriptedGateway.StartAsync();

    private string PathOf(string name) => Path.Combine(_work.FullName, name);

    [Fact]
    public async Task TheCheckpointIsUnpackedIntoANewFolderAndItsRunRoundAndHashReported()
    {
        _gateway.Answer = context => SendTar(context, Checkpoint(weightsBytes: 1000));

        var result = await CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", 3, PathOf("out/model"), CancellationToken.None);

        Assert.Equal(("run-1", 3, Hash), (result.RunId, result.Round, result.ModelHash));
        Assert.Equal(PathOf("out/model"), result.Directory);
        Assert.Equal(["README.md", "config.json", "model.safetensors"], result.Files);
        Assert.Equal(1000, new FileInfo(PathOf("out/model/model.safetensors")).Length);
        Assert.Equal(["model"], Directory.GetFileSystemEntries(PathOf("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnEmptyExistingFolderIsFilled()
    {
        Directory.CreateDirectory(PathOf("empty"));
        _gateway.Answer = context => SendTar(context, Checkpoint(weightsBytes: 10));

        var result = await CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", null, PathOf("empty"), CancellationToken.None);

        Assert.Equal(3, Directory.GetFiles(PathOf("empty")).Length);
        Assert.Equal(3, result.Files.Count);
    }

    [Fact]
    public async Task AFolderWithFilesInItIsRefusedBeforeAnythingIsDownloaded()
    {
        Directory.CreateDirectory(PathOf("busy"));
        File.WriteAllText(PathOf("busy/notes.txt"), "mine");
        _gateway.Answer = context => SendTar(context, Checkpoint(weightsBytes: 10));

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", null, PathOf("busy"), CancellationToken.None));

        Assert.Contains($"Output directory '{PathOf("busy")}' is not empty", error.Message);
        Assert.Equal(0, _gateway.Requests);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(PathOf("busy")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ADownloadThatBreaksOffLeavesNoFolderAndNoPartialFiles()
    {
        var tar = Checkpoint(weightsBytes: 256 * 1024);
        _gateway.Answer = async context =>
        {
            WriteIdentity(context.Response);
            context.Response.ContentType = "application/x-tar";
            await context.Response.Body.WriteAsync(tar.AsMemory(0, tar.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
        };

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", null, PathOf("model"), CancellationToken.None));

        Assert.Contains("did not arrive whole", error.Message);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    [Fact]
    public async Task ATarThatIsNoCheckpointIsRefusedAndNothingIsLeft()
    {
        _gateway.Answer = context => SendTar(context, TarOf(("notes.txt", new byte[5])));

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", null, PathOf("model"), CancellationToken.None));

        Assert.Contains("not a LeRobot checkpoint", error.Message);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    [Fact]
    public async Task TheServersMessageForAMissingRunIsPassedThrough()
    {
        const string message = "No run 'nope' on this federation; `zk0 run ls` lists them.";
        _gateway.Answer = context => Results.Text(message, "text/plain; charset=utf-8", statusCode: 404).ExecuteAsync(context);

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gateway.Address, "nope", null, PathOf("model"), CancellationToken.None));

        Assert.Equal(message, error.Message);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    [Fact]
    public async Task AnUnauthorizedAnswerAsksForTheOperatorCredential()
    {
        _gateway.Answer = context => Results.Unauthorized().ExecuteAsync(context);

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gateway.Address, "run-1", null, PathOf("model"), CancellationToken.None));

        Assert.Equal("the federation asks for the operator credential: pass --token or set ZK0_TOKEN", error.Message);
    }

    [Fact]
    public async Task AGatewayThatCannotBeReachedIsNamed()
    {
        var closed = new Uri($"http://127.0.0.1:{Zk0.Tests.SuperLink.Infrastructure.FreePort.Next()}");

        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, closed, "run-1", null, PathOf("model"), CancellationToken.None));

        Assert.StartsWith($"Cannot reach the federation's gateway at {closed}", error.Message);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    private static void WriteIdentity(HttpResponse response)
    {
        response.Headers["X-Zk0-Run-Id"] = "run-1";
        response.Headers["X-Zk0-Round"] = "3";
        response.Headers["X-Zk0-Model-Hash"] = Hash;
    }

    private static async Task SendTar(HttpContext context, byte[] tar)
    {
        WriteIdentity(context.Response);
        context.Response.ContentType = "application/x-tar";
        await context.Response.Body.WriteAsync(tar);
    }

    private static byte[] Checkpoint(int weightsBytes) =>
        TarOf(("config.json", "{}"u8.ToArray()), ("model.safetensors", new byte[weightsBytes]), ("README.md", "# card"u8.ToArray()));

    private static byte[] TarOf(params (string Name, byte[] Content)[] files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            foreach (var (name, content) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
        return tar.ToArray();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
