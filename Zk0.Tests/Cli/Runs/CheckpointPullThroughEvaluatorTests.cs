using System.Net;
using Microsoft.AspNetCore.Builder;
using Zk0.Cli.Runs;
using Zk0.Tests.Evaluator.Checkpoints;

namespace Zk0.Tests.Cli.Runs;

/// <summary>
/// <c>zk0 run pull</c>'s download from the real Evaluator endpoint through the real Gateway's <c>/evaluator</c> route, on
/// its plain-h2c gRPC port: the client sends HTTP/2 with prior knowledge (version 2.0, RequestVersionExact).
/// </summary>
public sealed class CheckpointPullThroughEvaluatorTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-pull-e2e-");
    private CheckpointFederation _federation = null!;
    private HttpClient _http = null!;
    private WebApplication _gateway = null!;
    private Uri _gatewayAddress = null!;

    public async Task InitializeAsync()
    {
        _federation = await CheckpointFederation.StartAsync();
        (_gateway, _gatewayAddress) = await GatewayHost.StartAsync(_federation.Fleet.Address, _federation.EvaluatorAddress);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    [Fact]
    public async Task ARoundsModelIsPulledIntoAFolderThatLoadsAsPolicyPath()
    {
        var output = Path.Combine(_work.FullName, "pulled");

        var result = await CheckpointDownload.DownloadAsync(_http, _gatewayAddress, CheckpointFederation.Completed, 1, output, CancellationToken.None);

        var (hash, blob) = _federation.Models[(CheckpointFederation.Completed, 1)];
        Assert.Equal((CheckpointFederation.Completed, 1, hash, output), (result.RunId, result.Round, result.ModelHash, result.Directory));
        Assert.Equal(["README.md", "config.json", "model.safetensors"], result.Files);
        PulledCheckpoint.AssertLoadsWithTheBlobsTensors(output, blob);
    }

    [Fact]
    public async Task AnUnknownRunFailsWithTheEvaluatorsMessageAndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<CheckpointDownloadException>(() =>
            CheckpointDownload.DownloadAsync(_http, _gatewayAddress, "no-such-run", null, Path.Combine(_work.FullName, "pulled"), CancellationToken.None));

        Assert.Equal("No run 'no-such-run' on this federation; `zk0 run ls` lists them.", error.Message);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _federation.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
