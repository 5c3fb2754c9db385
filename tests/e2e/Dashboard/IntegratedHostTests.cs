using System.Net;
using Jobs.Dashboard;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>The dashboard mounted into an app that already uses Blazor Server: it runs on the app's circuit endpoint, and the
/// app's own <c>RequireAuthorization</c> on the returned builder guards it.</summary>
[Collection(DashboardTests.Name)]
public sealed class IntegratedHostTests(DashboardFixture fixture)
{
    [Fact]
    public async Task AppWithItsOwnBlazorServer_DashboardSharesItsCircuitEndpoint_NoSecondBlazorEndpoint()
    {
        var file = Path.Combine(Path.GetTempPath(), $"jobs-e2e-host-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddJobs(o =>
        {
            o.UseSqlite(connectionString);
            o.Pool.MinWait = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.AddE2EJobTypes();
        builder.Services.AddJobsDashboard();
        TestAuthentication.AddTo(builder.Services);
        await using var app = builder.Build();
        app.UseAntiforgery();
        var components = app.MapRazorComponents<HostApp>().AddInteractiveServerRenderMode();
        app.MapJobsDashboard("/jobs", components).RequireAuthorization(TestAuthentication.Policy);
        await app.StartAsync();
        try
        {
            var origin = new Uri(app.Urls.First());
            var circuits = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Select(e => e.RoutePattern.RawText ?? "").Where(p => p.TrimEnd('/').EndsWith("/_blazor", StringComparison.Ordinal)).ToList();
            Assert.Equal(["/_blazor"], circuits);

            using var http = new HttpClient { BaseAddress = origin };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("jobs/")).StatusCode);
            // No circuit below the dashboard: a negotiate there meets only the dashboard's GET pages.
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("jobs/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);

            var (context, page) = await fixture.NewPageAsync();
            await using var _ = context;
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = TestAuthentication.Name, Value = "alice:ops", Url = origin.ToString() }]);
            var sockets = new List<string>();
            page.WebSocket += (_, socket) => sockets.Add(new Uri(socket.Url).AbsolutePath);

            await page.OpenAsync(new Uri(origin, "jobs/").ToString());
            await page.TestId("nav-jobs").ClickAsync();
            await Expect(page.TestId("jobs-empty")).ToBeVisibleAsync();
            var client = app.Services.GetRequiredService<IJobClient>();
            var job = await client.ScheduleAsync(E2EJobs.Note, new NoteArgs("integrated"));
            await Expect(page.Row(job.Id)).ToHaveAttributeAsync("data-status", "Finished");

            Assert.Contains("/_blazor", sockets);
            Assert.DoesNotContain(sockets, s => s.StartsWith("/jobs/", StringComparison.Ordinal));
        }
        finally
        {
            await app.StopAsync();
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>The host app's own Blazor root: a page of its own; nothing of the dashboard.</summary>
    private sealed class HostApp : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
            => builder.AddMarkupContent(0, "<!DOCTYPE html><html><head><title>Host</title></head><body><h1>The host app</h1></body></html>");
    }
}
