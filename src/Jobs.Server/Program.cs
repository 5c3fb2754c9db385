using Jobs;
using Jobs.Server;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddJobs().AddDemoJobTypes();
if (builder.Configuration.GetValue("Demo:Enabled", defaultValue: true))
{
    builder.Services.AddHostedService<DemoJobProducer>();
}

var app = builder.Build();

app.MapGet("/", () => "Jobs server: job counts and pools at GET /status.");
app.MapGet("/status", StatusEndpoint.GetAsync);

await app.RunAsync();

// Public so that tests can host the app with WebApplicationFactory<Program>.
public partial class Program;
