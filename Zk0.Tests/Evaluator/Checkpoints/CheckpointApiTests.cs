using System.Formats.Tar;
using System.Net;
using Zk0.Evaluator.Checkpoints;

namespace Zk0.Tests.Evaluator.Checkpoints;

/// <summary><c>GET /runs/{runId}/checkpoint</c> on the Evaluator: a committed global model as a LeRobot checkpoint tar.</summary>
public sealed class CheckpointApiTests : IAsyncLifetime
{
    private CheckpointFederation _federation = null!;
    private HttpClient _http = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-checkpoint-api-");

    public async Task InitializeAsync()
    {
        _federation = await CheckpointFederation.StartAsync();
        _http = new HttpClient { BaseAddress = _federation.EvaluatorAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    [Fact]
    public async Task WithoutARoundTheLatestCommittedModelIsSentAsACheckpointThatLoadsAsPolicyPath()
    {
        using var response = await _http.GetAsync($"/runs/{CheckpointFederation.Completed}/checkpoint");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        // A length lets the client tell a download that broke off between two tar entries from a whole one.
        Assert.NotNull(response.Content.Headers.ContentLength);
        var (hash, blob) = _federation.Models[(CheckpointFederation.Completed, 2)];
        Assert.Equal(CheckpointFederation.Completed, Header(response, CheckpointApi.RunIdHeader));
        Assert.Equal("2", Header(response, CheckpointApi.RoundHeader));
        Assert.Equal(hash, Header(response, CheckpointApi.ModelHashHeader));
        var folder = await ExtractAsync(response, "latest");
        Assert.Equal(["README.md", "config.json", "model.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        PulledCheckpoint.AssertLoadsWithTheBlobsTensors(folder, blob);
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains(CheckpointFederation.Completed, readme);
        Assert.Contains("round 2", readme);
        Assert.Contains(hash, readme);
    }

    [Fact]
    public async Task ARoundAskedForGivesThatRoundsModel()
    {
        using var response = await _http.GetAsync($"/runs/{CheckpointFederation.Completed}/checkpoint?round=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (hash, blob) = _federation.Models[(CheckpointFederation.Completed, 1)];
        Assert.Equal("1", Header(response, CheckpointApi.RoundHeader));
        Assert.Equal(hash, Header(response, CheckpointApi.ModelHashHeader));
        PulledCheckpoint.AssertLoadsWithTheBlobsTensors(await ExtractAsync(response, "round-1"), blob);
    }

    [Fact]
    public async Task AModelAskedForAgainIsServedFromTheCacheWithoutTheBlob()
    {
        using (var first = await _http.GetAsync($"/runs/{CheckpointFederation.Partial}/checkpoint"))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var (hash, blob) = _federation.Models[(CheckpointFederation.Partial, 1)];
        Assert.True(_federation.Fleet.Blobs.TryRemove(hash, out _));

        using var again = await _http.GetAsync($"/runs/{CheckpointFederation.Partial}/checkpoint?round=1");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        PulledCheckpoint.AssertLoadsWithTheBlobsTensors(await ExtractAsync(again, "cached"), blob);
        Assert.Equal(["checkpoints"], Directory.GetFileSystemEntries(_federation.WorkDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnUnknownRunIsNotFoundAndTheMessageSaysHowToListRuns()
    {
        using var response = await _http.GetAsync("/runs/no-such-run/checkpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No run 'no-such-run' on this federation; `zk0 run ls` lists them.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(CheckpointFederation.Completed, 3, HttpStatusCode.NotFound, "has rounds 1 to 2; there is no round 3")]
    [InlineData(CheckpointFederation.Completed, 0, HttpStatusCode.NotFound, "there is no round 0")]
    [InlineData(CheckpointFederation.Partial, 2, HttpStatusCode.Conflict, "has not committed round 2 (status running; committed rounds: 1)")]
    public async Task ARoundTheRunDoesNotHaveOrHasNotCommittedIsRefusedSayingWhich(string runId, int round, HttpStatusCode status, string message)
    {
        using var response = await _http.GetAsync($"/runs/{runId}/checkpoint?round={round}");

        Assert.Equal(status, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"Run '{runId}'", text);
        Assert.Contains(message, text);
    }

    [Fact]
    public async Task ARunWithoutACommittedModelIsAConflict()
    {
        using var response = await _http.GetAsync($"/runs/{CheckpointFederation.Fresh}/checkpoint");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"Run '{CheckpointFederation.Fresh}' has not committed a global model yet", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AModelTheSuperLinkNoLongerHoldsIsGone()
    {
        var (hash, _) = _federation.Models[(CheckpointFederation.Completed, 1)];
        _federation.Fleet.Blobs.TryRemove(hash, out _);

        using var response = await _http.GetAsync($"/runs/{CheckpointFederation.Completed}/checkpoint?round=1");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains($"The SuperLink no longer holds model {hash} of run '{CheckpointFederation.Completed}' round 1", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_federation.WorkDirectory), entry => Path.GetFileName(entry).StartsWith("checkpoint-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunWhosePolicyCannotBeBuiltFailsWithTheReason()
    {
        _federation.AddRun("run-unknown-policy", Zk0.Federation.Protocol.RunStatus.Completed, rounds: 1, committed: 1, modelSeed: 41, policyType: "no-such-policy");

        using var response = await _http.GetAsync("/runs/run-unknown-policy/checkpoint");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("could not build the checkpoint of run 'run-unknown-policy' round 1", text);
        Assert.Contains("Unknown policy type 'no-such-policy'", text);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private async Task<string> ExtractAsync(HttpResponseMessage response, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.FullName, name)).FullName;
        await using var tar = await response.Content.ReadAsStreamAsync();
        await TarFile.ExtractToDirectoryAsync(tar, folder, overwriteFiles: false);
        return folder;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _federation.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
