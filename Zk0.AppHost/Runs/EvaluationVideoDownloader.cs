using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Copies a round's evaluation videos from the Evaluator (<c>GET {evaluator}/runs/{id}/videos?round=N</c>, then each
/// listed file) into <c>{runDirectory}/evaluate/round-N/{task}/</c>. <paramref name="http"/>'s base address is the
/// Evaluator's API: through the gateway, <c>{gateway}/evaluator/</c>.
/// </summary>
public sealed class EvaluationVideoDownloader(HttpClient http)
{
    public const string DirectoryName = "evaluate";

    private sealed record Listed(int Round, string Task, int Episode, string Video, string Info, bool Success, int Steps, double DurationSeconds);

    public async Task<IReadOnlyList<EvaluationVideoFile>> DownloadRoundAsync(string runId, int round, string runDirectory, CancellationToken cancellationToken)
    {
        var roundText = round.ToString(CultureInfo.InvariantCulture);
        var listed = await http.GetFromJsonAsync<List<Listed>>($"runs/{Uri.EscapeDataString(runId)}/videos?round={roundText}",
            JsonSerializerOptions.Web, cancellationToken) ?? [];
        var saved = new List<EvaluationVideoFile>();
        foreach (var video in listed.Where(v => v.Round == round))
        {
            if (!IsPlainName(video.Task) || !IsPlainName(video.Video) || !IsPlainName(video.Info))
                throw new InvalidDataException($"The Evaluator listed a video with an unusable name ({video.Task}/{video.Video}).");
            var relativeFolder = Path.Combine(DirectoryName, $"round-{roundText}", video.Task);
            Directory.CreateDirectory(Path.Combine(runDirectory, relativeFolder));
            foreach (var file in new[] { video.Video, video.Info })
            {
                var url = $"runs/{Uri.EscapeDataString(runId)}/videos/{roundText}/{Uri.EscapeDataString(video.Task)}/{Uri.EscapeDataString(file)}";
                await DownloadFileAsync(url, Path.Combine(runDirectory, relativeFolder, file), cancellationToken);
            }
            saved.Add(new EvaluationVideoFile(round, video.Task, video.Episode, Path.Combine(relativeFolder, video.Video).Replace('\\', '/'),
                Path.Combine(relativeFolder, video.Info).Replace('\\', '/'), video.Success, video.Steps, video.DurationSeconds));
        }
        return saved;
    }

    private async Task DownloadFileAsync(string url, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"GET {http.BaseAddress}{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var partial = path + ".partial";
        await using (var output = File.Create(partial))
            await response.Content.CopyToAsync(output, cancellationToken);
        File.Move(partial, path, overwrite: true);
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\']) < 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;
}
