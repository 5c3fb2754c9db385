using Jobs;
using Jobs.Dashboard;
using Jobs.Server;
using Microsoft.AspNetCore.HttpOverrides;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddJobs().AddDemoJobTypes();
builder.Services.AddJobsDashboard();
builder.Services.AddHealthChecks().AddJobs();
builder.Services.AddHostedService<DemoJobProducer>();
builder.Services.AddAuthentication();
builder.Services.AddAuthorization();
builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, config) =>
{
    // Behind a reverse proxy (ForwardedHeaders:Enabled): the client's address, scheme and host, and the path prefix the proxy strips.
    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
    foreach (var proxy in config.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
    {
        o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
    }
});

var app = builder.Build();

if (app.Configuration.GetValue("ForwardedHeaders:Enabled", defaultValue: false))
{
    app.UseForwardedHeaders();
}

if (app.Configuration["PathBase"] is { Length: > 0 } pathBase)
{
    app.UsePathBase(pathBase);
}

app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", (HttpContext context) => Results.Content(
    $"Jobs server: the dashboard is at {context.Request.PathBase}/jobs/, job counts and pools at {context.Request.PathBase}/status.", "text/plain"));
app.MapGet("/status", StatusEndpoint.GetAsync);
app.MapJobsDashboard("/jobs");
app.MapHealthChecks("/health");
app.MapHealthChecks("/healthz"); // The first name it had: kept so that probes set up with it keep working.

await app.RunAsync();

// Public so that tests can host the app with WebApplicationFactory<Program>.
public partial class Program;
