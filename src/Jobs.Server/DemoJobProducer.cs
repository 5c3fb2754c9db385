using Jobs.Diagnostics;

namespace Jobs.Server;

/// <summary>Keeps demo jobs flowing: a few e-mails every second, a report every ten seconds, and one recurring cleanup.
/// While scheduling fails it backs off, from one second doubling to <see cref="MaxRetry"/>. Turned off with
/// <c>Demo:Enabled = false</c>.</summary>
internal sealed class DemoJobProducer(IJobClient client, IJobMonitor monitor, IConfiguration configuration, ILogger<DemoJobProducer> logger) : BackgroundService
{
    private const int EmailsPerTick = 3;
    private const int TicksPerReport = 10;
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly string[] Recipients = ["ada@example.com", "grace@example.com", "linus@example.com", "barbara@example.com"];
    private static readonly string[] Subjects = ["Welcome", "Your invoice", "Password reset", "Weekly digest"];

    // Low, normal and urgent, so that claim order by priority is visible.
    private static readonly int[] EmailPriorities = [0, 0, 5, 10];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read when the host runs, not when it is built, so that test hosts can turn it off with their own settings.
        if (!configuration.GetValue("Demo:Enabled", defaultValue: true))
        {
            return;
        }

        using var timer = new PeriodicTimer(Tick);
        var tick = 0;
        var failures = 0;
        var cleanupScheduled = false;
        while (true)
        {
            var sendReport = tick++ % TicksPerReport == 0;
            var delay = RetryAfter(failures + 1);
            var succeeded = await RunGuardedAsync(
                async () =>
                {
                    if (!cleanupScheduled)
                    {
                        await EnsureCleanupScheduledAsync(stoppingToken);
                        cleanupScheduled = true;
                    }

                    await ProduceAsync(sendReport, stoppingToken);
                },
                delay,
                stoppingToken);
            if (succeeded)
            {
                failures = 0;
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }
            }
            else
            {
                // A database that is away fails every round alike: one line per back-off step, not one per second.
                failures++;
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private static TimeSpan RetryAfter(int failures)
        => TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, Tick.Ticks << Math.Min(failures - 1, 10)));

    private async Task ProduceAsync(bool sendReport, CancellationToken cancellationToken)
    {
        var emails = Enumerable.Range(0, EmailsPerTick).Select(_ => JobRequest.Create(
            DemoJobs.Email,
            new EmailArgs(Pick(Recipients), Pick(Subjects)),
            new JobScheduleOptions { Priority = Pick(EmailPriorities) }));
        await client.ScheduleManyAsync(emails, cancellationToken);

        if (sendReport)
        {
            await client.ScheduleAsync(
                DemoJobs.Report, new ReportArgs(Random.Shared.Next(5, 21)), new JobScheduleOptions { Priority = 1 }, cancellationToken);
        }
    }

    private async Task EnsureCleanupScheduledAsync(CancellationToken cancellationToken)
    {
        // A recurring job re-queues itself forever, so every restart would add one more copy. While a run executes it is
        // not queued, and after a crash it stays executing until rescued: either state means it already exists.
        foreach (var status in (JobStatus[])[JobStatus.Queued, JobStatus.Executing])
        {
            var existing = await monitor.ListAsync(new JobQuery { Type = DemoJobs.Cleanup, Status = status, Take = 1 }, cancellationToken);
            if (existing.Items.Count > 0)
            {
                Log.CleanupAlreadyScheduled(logger, existing.Items[0].Id);
                return;
            }
        }

        var job = await client.ScheduleRecurringAsync(DemoJobs.Cleanup, new CleanupArgs(KeepDays: 7), CleanupInterval, cancellationToken: cancellationToken);
        Log.CleanupScheduled(logger, job.Id, CleanupInterval);
    }

    /// <returns>False when <paramref name="action"/> failed; it is logged, naming the next try in <paramref name="retryIn"/>.</returns>
    private async Task<bool> RunGuardedAsync(Func<Task> action, TimeSpan retryIn, CancellationToken stoppingToken)
    {
        try
        {
            await action();
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed round (say, a busy database) must not stop the host; the next round tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (FailureCause.IsFromDatabase(ex))
            {
                // The engine's own log names the database and what to check, once; here the cause is enough.
                Log.ProduceFailureDetail(logger, ex);
                Log.ProduceRetrying(logger, FailureCause.Of(ex), retryIn);
            }
            else
            {
                Log.ProduceFailed(logger, ex, retryIn);
            }

            return false;
        }
    }

    private static T Pick<T>(T[] items) => items[Random.Shared.Next(items.Length)];
}
