using Microsoft.Playwright;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>Shared by every dashboard test: one Chromium for the run (a fresh context per test), and one demo server under the path
/// base <c>/ops</c>, behind forwarded-headers processing, in Production, with the e2e job types (demo producer off).</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>How long a test waits for something it expects to see (a loaded 2-core machine is slow, never sleepy).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private DashboardServer? _server;

    public IBrowser Browser { get; private set; } = null!;

    internal DashboardServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("JOBS_E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        _server = new DashboardServer(new Dictionary<string, string?>
        {
            ["PathBase"] = "/ops",
            ["ForwardedHeaders:Enabled"] = "true",
            ["Jobs:Pool:Queues:0"] = "default",
            ["Jobs:Pool:Queues:1"] = "alpha",
            ["Jobs:Pool:Queues:2"] = "beta",
        });
    }

    /// <summary>A fresh browser context and page; dispose the context at the end of the test.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        return (context, page);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The dashboard tests share one browser and one server, and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardTests : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
