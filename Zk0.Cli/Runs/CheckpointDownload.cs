using System.Formats.Tar;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Zk0.Cli.Runs;

/// <summary>
/// Pulls a run's global model as a LeRobot checkpoint folder from the Evaluator, through the gateway
/// (<c>GET {gateway}/evaluator/runs/{id}/checkpoint[?round=N]</c>, a tar). The tar is unpacked into a hidden sibling of
/// the output folder and moved into place only when complete, so a failed pull leaves nothing behind.
/// </summary>
public static class CheckpointDownload
{
    private const string RunIdHeader = "X-Zk0-Run-Id";
    private const string RoundHeader = "X-Zk0-Round";
    private const string ModelHashHeader = "X-Zk0-Model-Hash";
    private const int MaxErrorLength = 500;

    /// <remarks>
    /// The request takes <paramref name="http"/>'s <see cref="HttpClient.DefaultRequestVersion"/> and
    /// <see cref="HttpClient.DefaultVersionPolicy"/>: a plain-h2c gateway port needs 2.0 with RequestVersionExact.
    /// </remarks>
    /// <exception cref="CheckpointDownloadException">The pull failed; nothing was written to <paramref name="outDirectory"/>.</exception>
    public static async Task<CheckpointDownloadResult> DownloadAsync(HttpClient http, Uri gateway, string runId, int? round, string outDirectory, CancellationToken ct)
    {
        var target = Path.GetFullPath(outDirectory);
        EnsureUsable(target);
        var url = CheckpointUrl(gateway, runId, round);
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = http.DefaultRequestVersion, VersionPolicy = http.DefaultVersionPolicy };
        using var response = await SendAsync(http, request, gateway, ct);
        if (!response.IsSuccessStatusCode)
            throw new CheckpointDownloadException(await ErrorAsync(response, url, ct));
        var (pulledRun, pulledRound, modelHash) = Identity(response, url);

        var parent = Path.GetDirectoryName(target) ?? throw new CheckpointDownloadException($"Output directory '{target}' is a root; pass a folder to create.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            await ExtractAsync(response, staging, url, ct);
            var files = Directory.GetFiles(staging, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(staging, f)).Order(StringComparer.Ordinal).ToList();
            if (!files.Contains("config.json") || !files.Contains("model.safetensors"))
                throw new CheckpointDownloadException($"{url} sent a tar without config.json and model.safetensors ({string.Join(", ", files)}); it is not a LeRobot checkpoint.");
            EnsureUsable(target);
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            return new CheckpointDownloadResult(pulledRun, pulledRound, modelHash, target, files);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static Uri CheckpointUrl(Uri gateway, string runId, int? round)
    {
        var query = round is { } r ? $"?round={r.ToString(CultureInfo.InvariantCulture)}" : "";
        return new Uri($"{gateway.AbsoluteUri.TrimEnd('/')}/evaluator/runs/{Uri.EscapeDataString(runId)}/checkpoint{query}");
    }

    private static void EnsureUsable(string target)
    {
        if (File.Exists(target))
            throw new CheckpointDownloadException($"Output path '{target}' is a file; pass a new or empty directory for the checkpoint.");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new CheckpointDownloadException($"Output directory '{target}' is not empty; pass a new or empty directory so the checkpoint does not mix with other files.");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, Uri gateway, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException error)
        {
            throw new CheckpointDownloadException($"Cannot reach the federation's gateway at {gateway}: {error.Message}", error);
        }
        catch (TaskCanceledException error) when (!ct.IsCancellationRequested)
        {
            throw new CheckpointDownloadException($"The federation's gateway at {gateway} did not answer within {http.Timeout.TotalSeconds:F0} s; building a large policy's checkpoint can take minutes, so give the client a longer timeout.", error);
        }
    }

    private static async Task ExtractAsync(HttpResponseMessage response, string staging, Uri url, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(staging);
            await using var tar = await response.Content.ReadAsStreamAsync(ct);
            await TarFile.ExtractToDirectoryAsync(tar, staging, overwriteFiles: false, ct);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or HttpRequestException)
        {
            throw new CheckpointDownloadException($"The checkpoint from {url} did not arrive whole ({error.Message}); nothing was written, pull it again.", error);
        }
    }

    private static (string RunId, int Round, string ModelHash) Identity(HttpResponseMessage response, Uri url)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        var runId = Header(RunIdHeader);
        var modelHash = Header(ModelHashHeader);
        if (runId is null || modelHash is null || !int.TryParse(Header(RoundHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var round))
            throw new CheckpointDownloadException($"{url} answered without the {RunIdHeader}, {RoundHeader} and {ModelHashHeader} headers; is the gateway's evaluator route pointing at a zk0 Evaluator?");
        return (runId, round, modelHash);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, Uri url, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return "the federation asks for the operator credential: pass --token or set ZK0_TOKEN";
        var message = ServerMessage(await response.Content.ReadAsStringAsync(ct), response.Content.Headers.ContentType?.MediaType);
        return message.Length > 0 ? message : $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }

    /// <summary>The Evaluator answers plain text; a JSON string or problem details (from ASP.NET or the gateway) are unwrapped.</summary>
    private static string ServerMessage(string body, string? mediaType)
    {
        var text = body.Trim();
        if (mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                text = json.RootElement.ValueKind switch
                {
                    JsonValueKind.String => json.RootElement.GetString() ?? "",
                    JsonValueKind.Object when json.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String => detail.GetString() ?? "",
                    JsonValueKind.Object when json.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String => title.GetString() ?? "",
                    _ => text,
                };
            }
            catch (JsonException)
            {
            }
        }
        var line = text.ReplaceLineEndings(" ");
        return line.Length > MaxErrorLength ? line[..MaxErrorLength] + "…" : line;
    }
}
