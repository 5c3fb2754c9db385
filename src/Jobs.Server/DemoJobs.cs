namespace Jobs.Server;

/// <summary>Payload of <c>demo.email</c>.</summary>
internal sealed record EmailArgs(string To, string Subject);

/// <summary>Payload of <c>demo.report</c>.</summary>
internal sealed record ReportArgs(int Pages);

/// <summary>Payload of <c>demo.cleanup</c>. It exists because only job types with a payload can be scheduled as recurring.</summary>
internal sealed record CleanupArgs(int KeepDays);

/// <summary>Job types that exercise the engine's features (retries, failures, progress, recurrence) for the demo server.</summary>
internal static class DemoJobs
{
    public const string Email = "demo.email";
    public const string Report = "demo.report";
    public const string Cleanup = "demo.cleanup";

    public static IJobsBuilder AddDemoJobTypes(this IJobsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddJobType<EmailArgs>(Email, SendEmailAsync, o =>
            {
                o.MaxRetries = 2;
                o.Backoff.BaseDelay = TimeSpan.FromSeconds(2);
            })
            .AddJobType<ReportArgs>(Report, BuildReportAsync)
            .AddJobType<CleanupArgs>(Cleanup, CleanUpAsync);
    }

    private static async Task SendEmailAsync(EmailArgs args, JobContext ctx)
    {
        await Task.Delay(Random.Shared.Next(50, 301), ctx.CancellationToken);

        // A flaky mail server, so that retries and, when all three attempts fail, failed jobs show up.
        if (Random.Shared.NextDouble() < 0.2)
        {
            throw new InvalidOperationException($"The mail server refused '{args.Subject}' to {args.To} (attempt {ctx.Attempt}).");
        }
    }

    private static async Task BuildReportAsync(ReportArgs args, JobContext ctx)
    {
        var pages = Math.Max(1, args.Pages);

        // Slow enough (3 to 8 s in all) that progress is visible while the job executes.
        var perPage = TimeSpan.FromMilliseconds(Random.Shared.Next(3_000, 8_001) / (double)pages);
        for (var i = 1; i <= pages; i++)
        {
            await Task.Delay(perPage, ctx.CancellationToken);
            await ctx.ReportProgressAsync(i * 100 / pages, $"page {i}", ctx.CancellationToken);
        }
    }

    private static async Task CleanUpAsync(CleanupArgs args, JobContext ctx)
    {
        // Stands in for real housekeeping: the point is a recurring job that shows up every 30 s.
        await Task.Delay(200, ctx.CancellationToken);
        var logger = ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoJobs));
        Log.CleanupRan(logger, ctx.JobId, args.KeepDays);
    }
}
