using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Tests;

/// <summary>The README's scheduling block is this code: it compiles here, runs here, and the README must contain it verbatim.</summary>
public sealed class ReadmeQuickStartTests
{
    private static readonly ConcurrentQueue<string> Sent = new();

    [Fact]
    public async Task QuickStart_AsWrittenInReadme_RunsJobsToCompletion()
    {
        var db = await TestDatabases.CreateAsync("sqlite");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(db);

        using var app = await QuickStartAsync(builder);
        await Eventually.TrueAsync(() => Task.FromResult(Sent.Contains("ada@example.com")), "welcome e-mail sent");
        var monitor = app.Services.GetRequiredService<IJobMonitor>();
        await Eventually.TrueAsync(async () => (await monitor.CountByStatusAsync())[JobStatus.Finished] >= 2, "both jobs finished");
        await app.StopAsync();
    }

    [Fact]
    public void Readme_QuickStartSection_MatchesThisFile()
    {
        var source = RepositoryFiles.Read("tests/unit/ReadmeQuickStartTests.cs");
        var snippet = RepositoryFiles.Between(source, "// README:start\n", "        // README:end");
        var readme = RepositoryFiles.Read("README.md");

        Assert.Contains(Unindent(snippet), readme, StringComparison.Ordinal);
    }

    private static async Task<IHost> QuickStartAsync(HostApplicationBuilder builder)
    {
        // The registrations of the README's Program.cs (that file itself is built and run from the packages by the e2e
        // FreshAppTests); what follows is the README's scheduling block.
        builder.Services.AddJobs(o => o.Pool.NumWorkers = 8)
            .AddJobType<WelcomeEmail>("welcome-email", async (email, ctx) =>
            {
                await ctx.ReportProgressAsync(50, "rendering");
                await Mailer.SendAsync(email.To, ctx.CancellationToken);
            }, t =>
            {
                t.MaxRetries = 5;
                t.Timeout = TimeSpan.FromMinutes(1);
            })
            .AddJobType<ResizeImage, ResizeHandler>("resize-image");

        var app = builder.Build();
        await app.StartAsync();
        var jobs = app.Services.GetRequiredService<IJobClient>();

        // README:start
        Job welcome = await jobs.ScheduleAsync("welcome-email", new WelcomeEmail("ada@example.com"));
        await jobs.ScheduleAsync("resize-image", new ResizeImage("cat.png", 640),
            new JobScheduleOptions { Priority = 10, RunAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        await jobs.ScheduleRecurringAsync("resize-image", new ResizeImage("banner.png", 1200), TimeSpan.FromHours(1));

        await welcome.RefreshAsync();                                   // Status, Attempt, Duration, LastError...
        // README:end
        return app;
    }

    private static string Unindent(string block)
        => string.Join("\n", block.Split('\n').Select(l => l.StartsWith("        ", StringComparison.Ordinal) ? l[8..] : l.TrimStart()));

    internal sealed record WelcomeEmail(string To);

    internal sealed record ResizeImage(string Path, int Width);

    internal sealed class ResizeHandler : IJobHandler<ResizeImage>
    {
        public Task ExecuteAsync(ResizeImage args, JobContext context) => Task.CompletedTask;
    }

    private static class Mailer
    {
        public static Task SendAsync(string to, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Sent.Enqueue(to);
            return Task.CompletedTask;
        }
    }
}
