using System.Diagnostics;
using System.Text.Json;
using Jobs.Diagnostics;
using Jobs.Registration;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Execution;

/// <summary>Runs one attempt of a claimed job in its own DI scope and turns whatever happens into an outcome. Never throws.</summary>
internal sealed class JobExecutor(
    JobTypeRegistry registry,
    IServiceScopeFactory scopes,
    IJobDriver store,
    TimeProvider time,
    JobsMetrics metrics,
    IOptions<JobsOptions> options,
    ILogger<JobExecutor> logger)
{
    private readonly Random _random = new();

    public async Task<JobOutcome> RunAsync(RunningJob running)
    {
        var job = running.Record;
        using var activity = JobsTracing.StartExecute(job);
        metrics.Started(job.Type);
        running.BeginExecuting(metrics);
        Log.JobStarted(logger, job.Id, job.Type, job.Attempt);
        var started = time.GetTimestamp();
        var outcome = await RunAttemptAsync(running, started, activity).ConfigureAwait(false);
        var ending = JobsTracing.OutcomeName(outcome.Kind);
        metrics.Ran(job.Type, ending, time.GetElapsedTime(started));
        activity?.SetTag("job.outcome", ending);
        return outcome;
    }

    private async Task<JobOutcome> RunAttemptAsync(RunningJob running, long started, Activity? activity)
    {
        var job = running.Record;
        if (!registry.TryGet(job.Type, out var definition))
        {
            // Claims filter on registered types, so this only happens if registrations change under a running pool.
            return Fail(running, started, new InvalidOperationException($"Job type '{job.Type}' is not registered in this process."), retry: false, activity);
        }

        object? args = null;
        if (definition.ArgsType is not null)
        {
            try
            {
                args = JsonSerializer.Deserialize(job.Payload ?? "null", definition.ArgsType, options.Value.SerializerOptions)
                    ?? throw new JsonException("The payload is null.");
            }
#pragma warning disable CA1031 // A user JsonConverter may throw anything: whatever it throws, the payload cannot be read.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var error = new JobPayloadException(
                    $"The payload of job {job.Id} ({job.Type}) could not be read as {definition.ArgsType.FullName}: {ExceptionDescriber.Message(ex)}", ex);
                return Fail(running, started, error, retry: false, activity);
            }
        }

        using var timeout = definition.Options.Timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        using var timeoutRegistration = timeout?.Token.UnsafeRegister(static s => ((RunningJob)s!).Cancel(CancelReason.Timeout), running);

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var progress = new ProgressReporter(running, store, time, options.Value.ProgressWriteInterval, logger);
            var context = new JobContext(job.Id, job.Type, job.Attempt, scope.ServiceProvider, progress, running.Token);
            try
            {
                await definition.Invoke(scope.ServiceProvider, args, context).ConfigureAwait(false);
                var elapsed = time.GetElapsedTime(started);
                metrics.Succeeded(job.Type);
                Log.JobSucceeded(logger, job.Id, job.Type, job.Attempt, elapsed.TotalMilliseconds);
                activity?.SetStatus(ActivityStatusCode.Ok);
                return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Succeeded, Now(), Elapsed: elapsed,
                    ProgressPercent: progress.Percent, ProgressMessage: progress.Message);
            }
#pragma warning disable CA1031 // A handler may throw anything; every exception is the attempt's result.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                activity?.SetStatus(ActivityStatusCode.Error, ExceptionDescriber.Message(ex));
                switch (running.Reason)
                {
                    case CancelReason.Operator or CancelReason.Lost:
                        metrics.Cancelled(job.Type);
                        Log.JobCancelled(logger, job.Id, job.Type);
                        return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Cancelled, Now(), Elapsed: time.GetElapsedTime(started),
                            ProgressPercent: progress.Percent, ProgressMessage: progress.Message);
                    case CancelReason.Shutdown:
                        return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Released, Now());
                    case CancelReason.Fenced:
                        return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Rescued, Now(), Elapsed: time.GetElapsedTime(started),
                            Message: $"Pool {running.PoolId} lost the database during attempt {job.Attempt}; the attempt was cancelled and the job queued again");
                    case CancelReason.Timeout:
                        return Fail(running, started, new JobTimeoutException(
                            $"Job {job.Id} ({job.Type}) timed out after {definition.Options.Timeout} on attempt {job.Attempt}; its cancellation token was cancelled.", ex), retry: true, activity);
                    default:
                        return Fail(running, started, ex, retry: true, activity);
                }
            }
        }
    }

    private JobOutcome Fail(RunningJob running, long started, Exception ex, bool retry, Activity? activity)
    {
        var job = running.Record;
        var elapsed = time.GetElapsedTime(started);
        var error = JobError.FromException(ex);
        var logged = StoredText.BriefError(error);
        activity?.SetStatus(ActivityStatusCode.Error, logged.Message);
        var now = Now();
        if (retry && job.Attempt <= job.MaxRetries)
        {
            TimeSpan delay;
            lock (_random)
            {
                delay = registry.TryGet(job.Type, out var d) ? d.Options.Backoff.GetDelay(job.Attempt, _random) : TimeSpan.Zero;
            }

            var retryAt = now + delay;
            metrics.Retried(job.Type);
            Log.JobRetrying(logger, job.Id, job.Type, job.Attempt, logged.Type, logged.Message, retryAt);
            return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Retry, now, error, retryAt, elapsed);
        }

        metrics.Failed(job.Type);
        Log.JobFailed(logger, job.Id, job.Type, job.Attempt, logged.Type, logged.StackTrace);
        return new JobOutcome(job, running.Version, running.PoolId, OutcomeKind.Failed, now, error, Elapsed: elapsed);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
