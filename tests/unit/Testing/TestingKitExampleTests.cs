// docs/testing.md:start
using Jobs;
using Jobs.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MyApp.Tests;

public sealed record WelcomeEmail(string To);

/// <summary>The app's code under test: it schedules the job.</summary>
public sealed class Signups(IJobClient jobs)
{
    public Task SignUpAsync(string email, CancellationToken cancellationToken = default)
        => jobs.ScheduleAsync("welcome-email", new WelcomeEmail(email), cancellationToken: cancellationToken);
}

/// <summary>The app's handler under test, with the mail server it talks to.</summary>
public sealed class WelcomeEmailHandler(IMailer mailer) : IJobHandler<WelcomeEmail>
{
    public Task ExecuteAsync(WelcomeEmail args, JobContext context) => mailer.SendAsync(args.To, context.CancellationToken);
}

public interface IMailer
{
    Task SendAsync(string address, CancellationToken cancellationToken);
}

/// <summary>A mail server for the tests: it records what it sent and can be down for a number of calls.</summary>
public sealed class FakeMailer : IMailer
{
    public List<string> Sent { get; } = [];

    public int FailuresLeft { get; set; }

    public Task SendAsync(string address, CancellationToken cancellationToken)
    {
        if (FailuresLeft-- > 0)
        {
            throw new IOException("mail server unreachable");
        }

        Sent.Add(address);
        return Task.CompletedTask;
    }
}

public sealed class SignupTests
{
    private readonly FakeMailer _mailer = new();

    private ServiceProvider BuildApp()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMailer>(_mailer);
        services.AddSingleton<Signups>();
        var database = Path.Combine(Path.GetTempPath(), $"jobs-test-{Guid.NewGuid():N}.db");
        services.AddJobs(o => o.UseSqlite($"Data Source={database}"))      // the app's own registrations
            .AddJobType<WelcomeEmail, WelcomeEmailHandler>("welcome-email");
        services.AddJobsTesting();                                         // fake clock, pool off, JobsTester
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task SignUp_NewUser_SchedulesTheWelcomeEmailThatSendsIt()
    {
        await using var app = BuildApp();
        var jobs = app.GetRequiredService<JobsTester>();

        await app.GetRequiredService<Signups>().SignUpAsync("ada@example.com");

        await jobs.AssertScheduledAsync("welcome-email", new WelcomeEmail("ada@example.com"));
        var ran = await jobs.RunDueJobsAsync();
        Assert.Equal(JobStatus.Finished, Assert.Single(ran).Status);
        Assert.Equal(["ada@example.com"], _mailer.Sent);
        await jobs.AssertNotScheduledAsync("welcome-email");
    }

    [Fact]
    public async Task WelcomeEmail_MailServerDownOnce_SentByTheRetryOnceItsBackoffHasPassed()
    {
        await using var app = BuildApp();
        var jobs = app.GetRequiredService<JobsTester>();
        _mailer.FailuresLeft = 1;

        var first = await jobs.RunAsync("welcome-email", new WelcomeEmail("ada@example.com"));
        Assert.Equal(JobStatus.Queued, first.Status);                      // waiting for its retry
        Assert.Equal("mail server unreachable", first.LastError?.Message);
        Assert.Empty(await jobs.RunDueJobsAsync());                        // the backoff has not passed

        jobs.Time.Advance(first.RunAt - jobs.Time.GetUtcNow());
        var retry = Assert.Single(await jobs.RunDueJobsAsync());
        Assert.Equal((JobStatus.Finished, 2), (retry.Status, retry.Attempt));
        Assert.Equal(["ada@example.com"], _mailer.Sent);
    }
}
// docs/testing.md:end
