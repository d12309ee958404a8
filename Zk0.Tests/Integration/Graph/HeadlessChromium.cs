using Microsoft.Playwright;

namespace Zk0.Tests.Integration.Graph;

/// <summary>Debian's Chromium (test.sh installs the chromium package) driven by Playwright; Playwright's own browser download is not reachable here.</summary>
public static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static BrowserTypeLaunchOptions LaunchOptions()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}; ./test.sh installs it, or run: sudo apt-get install chromium");
        return new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // --no-sandbox: the tests may run as root. The rest keep Chromium off a network this machine does not have.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        };
    }
}
