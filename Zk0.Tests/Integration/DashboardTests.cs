using Microsoft.Playwright;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary>
/// The Aspire dashboard of the shared graph in a real headless Chromium: every Zk0 resource is listed, and a round's
/// trace spans the SuperLink, the gateway, both nodes and the evaluator. Screenshots go to the test output's screenshots/.
/// </summary>
[Collection(FederationGraphCollection.Name)]
public sealed class DashboardTests(FederationGraphFixture fixture)
{
    private static readonly string[] RoundServices = ["superlink", "gateway", "supernode-0", "supernode-1", "evaluator"];

    [Fact]
    public async Task TheDashboardListsTheFederationAndShowsOneTracePerRoundAcrossItsServices()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var run = await fixture.DefaultRun.WaitAsync(cts.Token);
        Assert.Equal("Completed", run.State);
        var traceId = await RoundTraceAsync(cts.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(HeadlessChromium.LaunchOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });

        await page.GotoAsync(fixture.Dashboard.ToString());
        foreach (var resource in new[] { "redis", "garnet", "superlink", "evaluator", "gateway", "supernode-0", "supernode-1", "run" })
            await Assertions.Expect(page.GetByText(resource, new PageGetByTextOptions { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dashboard-resources.png"), FullPage = true });

        await page.GotoAsync(new Uri(fixture.Dashboard, $"traces/detail/{traceId}").ToString());
        await Assertions.Expect(page.GetByText("superlink.round").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        // The page lists the trace's spans in time order and renders only the rows near the top; the nodes' training
        // comes first. That every service is in this trace was checked above through the same data.
        await Assertions.Expect(page.GetByText("supernode train").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dashboard-round-trace.png"), FullPage = true });
    }

    /// <summary>A round's trace as the dashboard's telemetry API returns it: it must hold spans of every service of the round.</summary>
    private async Task<string> RoundTraceAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = fixture.Dashboard };
        var seen = new List<string>();
        // Spans reach the dashboard within a second or two of ending (OTEL_BSP_SCHEDULE_DELAY). The API returns the most
        // recent spans only (200 unless asked), and the SuperLink's Redis calls and task polls are many.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            if (attempt > 0) await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var spans = OtlpSpans.Parse(await http.GetStringAsync("api/telemetry/spans?resource=superlink&limit=100000", cancellationToken));
            foreach (var traceId in spans.Where(s => s.Name == "superlink.round").Select(s => s.TraceId).Distinct())
            {
                var services = OtlpSpans.Parse(await http.GetStringAsync($"api/telemetry/traces/{traceId}", cancellationToken))
                    .Select(s => s.Service).ToHashSet();
                if (RoundServices.All(services.Contains)) return traceId;
                seen.Add($"{traceId}: {string.Join(", ", services.Order())}");
            }
        }
        Assert.Fail($"no round trace spans {string.Join(", ", RoundServices)}; round traces seen: {string.Join("; ", seen.Distinct())}");
        return "";
    }

    private static string Screenshot(string name) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, name);
}
