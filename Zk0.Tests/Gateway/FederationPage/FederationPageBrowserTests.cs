using Microsoft.Playwright;
using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>
/// The federation page in a real headless Chromium, served by the gateway in front of a real SuperLink with test nodes.
/// Trainer B takes one more round only when the test lets it, so the run waits mid-round while the page is open; the
/// page must then show the round complete without being reloaded. Screenshots go to the test output's screenshots/.
/// </summary>
public sealed class FederationPageBrowserTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    // Generous: the machine is shared and slow at times; nothing here is a timing assertion.
    private const float Wait = 60_000;
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = Wait };
    private static readonly LocatorAssertionsToHaveCountOptions PatientCount = new() { Timeout = Wait };
    private static readonly LocatorAssertionsToHaveAttributeOptions PatientAttribute = new() { Timeout = Wait };

    [Fact]
    public async Task ThePageOpenedDuringARunSeesARoundCompleteWithoutReloadingAndFitsAPhone()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var trainerA = scenario.AddTrainer("ds-a", 1, 100);
        var trainerB = scenario.AddTrainer("ds-b", 3, 300);
        var roundsForB = 1;
        trainerB.Active = () => trainerB.TrainConfigs.Count < Volatile.Read(ref roundsForB);
        await scenario.StartAsync(trainerA, trainerB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=3 min-train-nodes=2 round-timeout-seconds=600");
        // Round 1 done, round 2 waiting for B with A's result in.
        await RunWaiter.WaitAsync(() => scenario.Host, runId,
            r => r.Summary.CompletedRounds == 1 && r.Rounds.Count == 2 && r.Rounds[1].Train.Count == 1, TimeSpan.FromSeconds(60));
        await using var gateway = await PageGatewayHost.StartAsync(scenario.Host.Address);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(HeadlessChromium.LaunchOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(gateway.Address.ToString());

        await Assertions.Expect(page.Locator($"#runs a[data-run-id='{runId}'] .status")).ToHaveTextAsync("running", Patiently);
        await Assertions.Expect(page.Locator("#completed-rounds")).ToHaveTextAsync("1", Patiently);
        await Assertions.Expect(page.Locator("#round-progress-text")).ToHaveTextAsync("Round 2 in progress: 1 of 2 nodes reported", Patiently);
        await Assertions.Expect(page.Locator($"#round-nodes li[data-node-id='{trainerA.NodeId}']")).ToHaveAttributeAsync("data-state", "reported", PatientAttribute);
        await Assertions.Expect(page.Locator($"#round-nodes li[data-node-id='{trainerB.NodeId}']")).ToHaveAttributeAsync("data-state", "waiting", PatientAttribute);
        await Assertions.Expect(page.Locator("#chart-eval-loss circle")).ToHaveCountAsync(1, PatientCount);
        await Assertions.Expect(page.Locator("#chart-train-loss circle")).ToHaveCountAsync(3, PatientCount); // A in rounds 1 and 2, B in round 1
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("federation-page-round-in-progress.png"), FullPage = true });
        // A reload would drop this.
        await page.EvaluateAsync("() => { window.zk0NotReloaded = true; }");

        await PhoneFitsAsync(browser, gateway.Address);

        Volatile.Write(ref roundsForB, 2);

        await Assertions.Expect(page.Locator("#completed-rounds")).ToHaveTextAsync("2", Patiently);
        await Assertions.Expect(page.Locator("#chart-eval-loss circle")).ToHaveCountAsync(2, PatientCount);
        await Assertions.Expect(page.Locator("#chart-eval-loss circle[data-round='2'] title")).ToHaveTextAsync("eval loss, round 2: 6.0000", Patiently);
        await Assertions.Expect(page.Locator("#rounds-table tbody tr[data-round='2'] td").Nth(1)).ToHaveTextAsync("completed", Patiently);
        Assert.True(await page.EvaluateAsync<bool>("() => window.zk0NotReloaded === true"), "the page was reloaded");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("federation-page-round-completed.png"), FullPage = true });

        Volatile.Write(ref roundsForB, 3);

        await Assertions.Expect(page.Locator("#run-status")).ToHaveTextAsync("completed", Patiently);
        await Assertions.Expect(page.Locator("#completed-rounds")).ToHaveTextAsync("3", Patiently);
        Assert.True(await page.EvaluateAsync<bool>("() => window.zk0NotReloaded === true"), "the page was reloaded");
    }

    [Fact]
    public async Task WithAnOperatorTokenTheSignInFormOpensThePageAndItsLiveStream()
    {
        const string token = "browser-test-operator-token";
        await using var scenario = await FederationScenario.StartAsync(redis);
        // No nodes: the run waits for one to make its initial model, which is enough to show the page reads the API with the cookie.
        var runId = await scenario.SubmitAsync("num-server-rounds=1 node-wait-timeout-seconds=600");
        await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.Status == Zk0.Federation.Protocol.RunStatus.Running, TimeSpan.FromSeconds(60));
        await using var gateway = await PageGatewayHost.StartAsync(scenario.Host.Address, token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(HeadlessChromium.LaunchOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 667 } });
        await page.GotoAsync(gateway.Address.ToString());

        await page.FillAsync("#token", "wrong-token");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".error")).ToContainTextAsync("not the operator token", new() { Timeout = Wait });

        await page.FillAsync("#token", token);
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator($"#runs a[data-run-id='{runId}'] .status")).ToHaveTextAsync("running", Patiently);
        await Assertions.Expect(page.Locator("#run-id")).ToHaveTextAsync(runId, Patiently);
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live", PatientAttribute);
        await Assertions.Expect(page.Locator("#round-progress-text")).ToHaveTextAsync("Starting: waiting for the initial model and for min-train-nodes trainer nodes", Patiently);
        // The credential is in an HttpOnly cookie: the page's script cannot read it.
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
    }

    /// <summary>At an iPhone SE's 375×667 the whole page is one column with nothing wider than the screen.</summary>
    private static async Task PhoneFitsAsync(IBrowser browser, Uri address)
    {
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 667 }, IsMobile = true, HasTouch = true });
        await phone.GotoAsync(address.ToString());
        await Assertions.Expect(phone.Locator("#completed-rounds")).ToHaveTextAsync("1", Patiently);
        await Assertions.Expect(phone.Locator("#rounds-table tbody tr")).ToHaveCountAsync(2, PatientCount);

        var scrollWidth = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var chartWidth = await phone.Locator("#chart-eval-loss").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("federation-page-phone.png"), FullPage = true });
        await phone.CloseAsync();

        Assert.True(scrollWidth <= 375, $"the page is {scrollWidth} px wide on a 375 px screen");
        Assert.InRange(chartWidth, 250, 375);
    }

    private static string Screenshot(string name) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, name);
}
