using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>The page's JSON and event-stream API at the gateway, read against a real SuperLink after a two-round run.</summary>
public sealed partial class FederationPageApiTests(CompletedRunFixture fixture) : IClassFixture<CompletedRunFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task RunsListsTheRunWithItsStateAndRounds()
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync("api/runs");
        var runs = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var run = runs.EnumerateArray().Single(r => r.GetProperty("runId").GetString() == fixture.RunId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("completedRounds").GetInt32());
        Assert.Equal(2, run.GetProperty("numServerRounds").GetInt32());
    }

    [Fact]
    public async Task RunDetailHasEachRoundsNodeLossesByAnonymousIdAndTheServerEvaluation()
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync($"api/runs/{fixture.RunId}");
        var body = await response.Content.ReadAsStringAsync();
        var rounds = JsonDocument.Parse(body).RootElement.GetProperty("rounds");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1, 2], rounds.EnumerateArray().Select(r => r.GetProperty("round").GetInt32()));
        foreach (var round in rounds.EnumerateArray())
        {
            var losses = round.GetProperty("train").EnumerateArray()
                .ToDictionary(t => t.GetProperty("nodeId").GetString()!, t => t.GetProperty("metrics").GetProperty("loss").GetDouble());
            Assert.Equal(new Dictionary<string, double> { [fixture.TrainerA.NodeId] = 1, [fixture.TrainerB.NodeId] = 3 }, losses);
            Assert.True(round.GetProperty("finishedUnixMs").GetInt64() > 0);
        }
        // Init model 1.0; FedAvg adds (1·100 + 3·300) / 400 = 2.5 a round; the test evaluator reports the mean weight.
        Assert.Equal(3.5, rounds[0].GetProperty("eval").GetProperty("loss").GetDouble(), 5);
        Assert.Equal(6.0, rounds[1].GetProperty("eval").GetProperty("loss").GetDouble(), 5);
        Assert.DoesNotContain("ds-a", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodesAreListedByAnonymousIdAndRoleOnly()
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync("api/nodes");
        var body = await response.Content.ReadAsStringAsync();
        var nodes = JsonDocument.Parse(body).RootElement.EnumerateArray()
            .ToDictionary(n => n.GetProperty("nodeId").GetString()!, n => n.GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("trainer", nodes[fixture.TrainerA.NodeId]);
        Assert.Equal("trainer", nodes[fixture.TrainerB.NodeId]);
        Assert.Equal("evaluator", nodes[fixture.Evaluator.NodeId]);
        Assert.DoesNotContain("ds-b", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/runs/no-such-run")]
    [InlineData("api/runs/no-such-run/events")]
    public async Task AnUnknownRunIsNotFoundWithAMessageNamingIt(string path)
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync(path);
        var error = (await JsonAsync(response)).GetProperty("error").GetString();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'no-such-run' does not exist", error);
    }

    [Fact]
    public async Task TheEventStreamSendsEveryEventOfTheRunAsAServerSentEventAndEndsAfterTheTerminalOne()
    {
        using var http = fixture.Gateway.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var response = await http.GetAsync($"api/runs/{fixture.RunId}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        // A completed run's stream ends after its terminal event, so reading to the end returns.
        var events = ServerSentEvent.Parse(await response.Content.ReadAsStringAsync(cts.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var parsed = events.Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString()), events.Select(e => e.Id));
        Assert.Equal(events.Select(e => e.Id), parsed.Select(e => e.GetProperty("sequence").GetInt64().ToString()));
        Assert.Equal("RunSubmitted", parsed[0].GetProperty("kind").GetString());
        Assert.Equal([1, 2], parsed.Where(e => e.GetProperty("kind").GetString() == "RoundCompleted").Select(e => e.GetProperty("round").GetInt32()));
        Assert.Contains(parsed, e => e.GetProperty("kind").GetString() == "ResultReceived" && e.GetProperty("nodeId").GetString() == fixture.TrainerB.NodeId);
        Assert.Contains(parsed, e => e.GetProperty("kind").GetString() == "RoundCompleted" && e.GetProperty("metrics").GetProperty("eval-loss").GetDouble() > 0);
        Assert.Equal("RunCompleted", parsed[^1].GetProperty("kind").GetString());
        Assert.True(parsed[^1].GetProperty("terminal").GetBoolean());
    }

    [Fact]
    public async Task AReconnectWithLastEventIdResumesAfterThatEvent()
    {
        using var http = fixture.Gateway.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{fixture.RunId}/events");
        request.Headers.Add("Last-Event-ID", "5");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var events = ServerSentEvent.Parse(await response.Content.ReadAsStringAsync(cts.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("6", events[0].Id);
        Assert.True(JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("terminal").GetBoolean());
    }

    [Fact]
    public async Task ThePageIsServedAtTheRootForPhonesWithAssetsFromTheGatewayOnly()
    {
        using var http = fixture.Gateway.Client();

        using var page = await http.GetAsync("");
        var html = await page.Content.ReadAsStringAsync();
        using var script = await http.GetAsync("federation-page/page.js");
        using var style = await http.GetAsync("federation-page/page.css");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Empty(ExternalReference().Matches(html));
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("url(", await style.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("federation-page/nothing.js")).StatusCode);
    }

    [GeneratedRegex("(src|href|action)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
