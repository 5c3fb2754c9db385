using System.Net;
using Jobs.Dashboard;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Jobs.E2E.Security.SecurityRequests;

namespace Jobs.E2E.Security;

/// <summary>Mounted into an app with its own Blazor Server, the dashboard's pages run on the app's circuit endpoint: a foreign page
/// must not reach them through it either.</summary>
[Collection(DashboardTests.Name)]
public sealed class IntegratedHostCircuitTests
{
    [Fact]
    public async Task AppCircuit_ForeignOrigin_Refused_OwnOriginServed()
    {
        var file = Path.Combine(Path.GetTempPath(), $"jobs-e2e-security-host-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddJobs(o => o.UseSqlite(new SqliteConnectionStringBuilder { DataSource = file }.ToString()));
        builder.Services.AddJobsDashboard();
        await using var app = builder.Build();
        app.UseAntiforgery();
        var components = app.MapRazorComponents<HostApp>().AddInteractiveServerRenderMode();
        app.MapJobsDashboard("/jobs", components);
        await app.StartAsync();
        try
        {
            var origin = new Uri(app.Urls.First());
            var own = origin.GetLeftPart(UriPartial.Authority);
            using var http = new HttpClient { BaseAddress = origin };

            using var foreignNegotiate = await PostAsync(http, "_blazor/negotiate?negotiateVersion=1", Evil);
            using var ownNegotiate = await PostAsync(http, "_blazor/negotiate?negotiateVersion=1", own);
            var (foreignSocket, s1) = await RawHubSocket.ConnectAsync(new Uri(origin, "_blazor"), Evil);
            s1?.Dispose();
            var (ownSocket, s2) = await RawHubSocket.ConnectAsync(new Uri(origin, "_blazor"), own);
            s2?.Dispose();

            Assert.Equal(HttpStatusCode.Forbidden, foreignNegotiate.StatusCode);
            Assert.Contains("JobsDashboardOptions.AllowedOrigins", await foreignNegotiate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, ownNegotiate.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, foreignSocket);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, ownSocket);
        }
        finally
        {
            await app.StopAsync();
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string origin)
        => http.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { "Origin", origin } } });

    /// <summary>The host app's own Blazor root.</summary>
    private sealed class HostApp : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
            => builder.AddMarkupContent(0, "<!DOCTYPE html><html><head><title>Host</title></head><body><h1>The host app</h1></body></html>");
    }
}
