using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Jobs.E2E.Dashboard;

/// <summary>A cold load of the overview (a new browser context, so an empty cache): every asset comes compressed and cacheable for
/// good, and the whole load stays small. The numbers measured are printed; docs/dashboard.md quotes them.</summary>
[Collection(DashboardTests.Name)]
public sealed class LoadTests(DashboardFixture fixture, ITestOutputHelper output)
{
    /// <summary>What a cold load of the overview may transfer, headers included: about 115 KB when measured, 919 KB before the
    /// assets were compressed. The limit leaves room for MudBlazor and Blazor growing, not for one uncompressed stylesheet.</summary>
    private const long ColdLoadByteLimit = 250_000;

    [Fact]
    public async Task ColdLoad_Overview_AssetsCompressedImmutableAndBytesBelowLimit()
    {
        var server = fixture.Server;

        // The first load of a fresh server also waits for its JIT and its first circuit; the browser's cache is what is cold here.
        var (warmup, warmupPage) = await fixture.NewPageAsync();
        await warmupPage.OpenAsync(server.Url(""));
        await warmup.DisposeAsync();

        var loads = new List<ColdLoad>();
        for (var i = 0; i < 3; i++)
        {
            var (fresh, freshPage) = await fixture.NewPageAsync();
            await using var _ = fresh;
            loads.Add(await ColdLoad.MeasureAsync(freshPage, server.Url("")));
            output.WriteLine(loads[^1].ToString());
        }

        var load = loads.OrderBy(l => l.UntilUsable).ElementAt(1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {load.Bytes} bytes, {load.Requests} requests, usable after {load.UntilUsable.TotalMilliseconds:0} ms"));

        var assets = load.Responses.Where(r => r.Url.Contains("/jobs/assets/", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, assets.Count); // MudBlazor's css and js, Blazor's script, the dashboard's css and js.
        Assert.All(assets, a =>
        {
            Assert.True(a.Encoding is "br" or "gzip", $"{a.Url} came with Content-Encoding '{a.Encoding}'");
            Assert.Equal("public, max-age=31536000, immutable", a.CacheControl);
            Assert.Contains("Accept-Encoding", a.Vary, StringComparison.OrdinalIgnoreCase);
        });
        Assert.True(load.Bytes < ColdLoadByteLimit, $"A cold load transferred {load.Bytes} bytes (limit {ColdLoadByteLimit}): {load}");
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip;q=0.5", "gzip")]
    [InlineData("identity", "")]
    public async Task AssetRequest_AcceptEncoding_ServedInTheBestAcceptedEncoding(string acceptEncoding, string expected)
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Server.Url($"assets/mudblazor.min.css?v={Jobs.Dashboard.Hosting.DashboardAssets.Version}"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal(expected, string.Join(",", response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task AssetRequest_OtherVersion_RevalidatedEachTime()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(fixture.Server.Url("assets/dashboard.css?v=0ld"));

        response.EnsureSuccessStatusCode();
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
    }

    /// <summary>One cold page load as Chromium's network layer saw it (the DevTools protocol: bytes on the wire, headers
    /// included), and how long until the page was usable (its circuit live).</summary>
    internal sealed record ColdLoad(long Bytes, int Requests, TimeSpan UntilUsable, IReadOnlyList<ColdLoad.Response> Responses)
    {
        public static async Task<ColdLoad> MeasureAsync(IPage page, string url)
        {
            var cdp = await page.Context.NewCDPSessionAsync(page);
            var bytes = 0L;
            var requests = 0;
            var responses = new List<Response>();
            cdp.Event("Network.requestWillBeSent").OnEvent += (_, _) => Interlocked.Increment(ref requests);
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
                Interlocked.Add(ref bytes, (long)(e?.GetProperty("encodedDataLength").GetDouble() ?? 0));
            cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
            {
                if (e is not { } json)
                {
                    return;
                }

                var response = json.GetProperty("response");
                var headers = response.GetProperty("headers");
                lock (responses)
                {
                    responses.Add(new Response(response.GetProperty("url").GetString()!, Header(headers, "content-encoding"),
                        Header(headers, "cache-control"), Header(headers, "vary")));
                }
            };
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });

            var clock = Stopwatch.StartNew();
            await page.OpenAsync(url);
            var usable = clock.Elapsed;

            // Every request of the load has finished once the network is idle; the circuit's WebSocket stays open, and its frames
            // are not counted (they are data, not the page).
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await cdp.DetachAsync();
            lock (responses)
            {
                return new ColdLoad(Interlocked.Read(ref bytes), requests, usable, responses.ToList());
            }
        }

        public override string ToString()
            => string.Create(CultureInfo.InvariantCulture, $"cold load: {Bytes} bytes in {Requests} requests, usable after {UntilUsable.TotalMilliseconds:0} ms; ")
               + string.Join(", ", Responses.Select(r => $"{new Uri(r.Url).AbsolutePath} [{r.Encoding}; {r.CacheControl}]"));

        private static string Header(JsonElement headers, string name)
            => headers.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is
                { ValueKind: JsonValueKind.String } v ? v.GetString()! : "";

        internal sealed record Response(string Url, string Encoding, string CacheControl, string Vary);
    }
}
