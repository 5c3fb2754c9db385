using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Execution;
using Jobs.Registration;
using Jobs.Scheduling;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.Model;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Testing;

// Each pair of overloads differs by a payload argument: a call with a token and no payload binds to the payload-less form.
#pragma warning disable RS0026

/// <summary>Drives the engine from a test: asserts what was scheduled, runs due jobs inline, one at a time in claim order,
/// on the test's own thread of control, and moves time through <see cref="Time"/>. Get it from the service provider after
/// <see cref="JobsTestingServiceCollectionExtensions.AddJobsTesting"/>; the pool is off, so nothing runs unless the test
/// asks.</summary>
/// <remarks>Every job runs exactly as a pool would run it: its own DI scope, its type's timeout, retries with the type's
/// backoff, the next occurrence of a recurring job, and the same rows and events in the database. A job's retry or next
/// occurrence lies in the future, so it runs again only once <see cref="Time"/> has moved past it.</remarks>
public sealed class JobsTester
{
    /// <summary>The most attempts one <see cref="RunDueJobsAsync"/> runs before it gives up on jobs that keep coming due.</summary>
    public const int MaxAttemptsPerRun = 10_000;

    private const string PoolId = "jobs-testing";
    private const int PageSize = 500;

    private readonly IJobDriver _store;
    private readonly JobTypeRegistry _registry;
    private readonly JobExecutor _executor;
    private readonly JobOperations _operations;
    private readonly IJobClient _client;
    private readonly JobsOptions _options;

    internal JobsTester(
        FakeTimeProvider time, IJobDriver store, JobTypeRegistry registry, JobExecutor executor, JobOperations operations,
        IJobClient client, IOptions<JobsOptions> options)
    {
        Time = time;
        _store = store;
        _registry = registry;
        _executor = executor;
        _operations = operations;
        _client = client;
        _options = options.Value;
    }

    /// <summary>The engine's clock: <c>Time.Advance(TimeSpan.FromMinutes(5))</c> brings retries, delayed and recurring jobs
    /// due for the next <see cref="RunDueJobsAsync"/>.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The tests' way to reach the limit without running 10,000 attempts.</summary>
    internal int AttemptLimit { get; set; } = MaxAttemptsPerRun;

    /// <summary>Every job of <paramref name="type"/> waiting to run (queued, due now or later, a retry waiting for its
    /// backoff included), oldest first.</summary>
    public async Task<IReadOnlyList<Job>> GetScheduledAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var rows = await QueuedAsync(type, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new Job(_operations, r))];
    }

    /// <summary>Passes when a job of <paramref name="type"/> is waiting to run and returns the newest such job, so the test
    /// can check its run time, queue or priority; otherwise throws <see cref="JobsAssertionException"/> listing what is queued.</summary>
    public async Task<Job> AssertScheduledAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var rows = await QueuedAsync(type, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new JobsAssertionException($"Expected a job of type '{type}' waiting to run, but none is. {await DescribeQueuedAsync(cancellationToken).ConfigureAwait(false)}");
        }

        return new Job(_operations, rows[^1]);
    }

    /// <summary>Passes when a job of <paramref name="type"/> whose payload equals <paramref name="args"/> (as JSON, with the
    /// engine's serializer options; property order does not matter) is waiting to run, and returns the newest such job;
    /// otherwise throws <see cref="JobsAssertionException"/> listing the payloads of that type that are queued.</summary>
    public async Task<Job> AssertScheduledAsync<TArgs>(string type, TArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var expected = Serialize(args);
        var rows = await QueuedAsync(type, cancellationToken).ConfigureAwait(false);
        var match = rows.LastOrDefault(r => SamePayload(r.Payload, expected));
        if (match is null)
        {
            throw new JobsAssertionException(
                $"Expected a job of type '{type}' with payload {Show(expected)} waiting to run, but {DescribePayloads(type, rows)}");
        }

        return new Job(_operations, match);
    }

    /// <summary>Passes when no job of <paramref name="type"/> is waiting to run; otherwise throws
    /// <see cref="JobsAssertionException"/> naming the jobs that are.</summary>
    public async Task AssertNotScheduledAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var rows = await QueuedAsync(type, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            throw new JobsAssertionException($"Expected no job of type '{type}' waiting to run, but {DescribePayloads(type, rows)}");
        }
    }

    /// <summary>Passes when no job of <paramref name="type"/> with a payload equal to <paramref name="args"/> is waiting to
    /// run; otherwise throws <see cref="JobsAssertionException"/> naming it.</summary>
    public async Task AssertNotScheduledAsync<TArgs>(string type, TArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var expected = Serialize(args);
        var rows = await QueuedAsync(type, cancellationToken).ConfigureAwait(false);
        var found = rows.Where(r => SamePayload(r.Payload, expected)).ToList();
        if (found.Count > 0)
        {
            throw new JobsAssertionException(
                $"Expected no job of type '{type}' with payload {Show(expected)} waiting to run, but job {found[0].Id} is (run at {found[0].RunAt:o}).");
        }
    }

    /// <summary>Runs every job that is due at <see cref="Time"/>'s now, one attempt at a time in claim order (priority, run
    /// time, id), until none is due, jobs scheduled by the jobs that ran included; returns each job as its attempt left it,
    /// in the order they ran. Jobs of types this process does not register are left queued.</summary>
    /// <exception cref="JobsAssertionException">More than <see cref="MaxAttemptsPerRun"/> attempts came due in one call (a job
    /// that schedules itself with no delay, say).</exception>
    public async Task<IReadOnlyList<Job>> RunDueJobsAsync(CancellationToken cancellationToken = default)
    {
        var ran = new List<Job>();
        while (true)
        {
            var queues = await DueQueuesAsync(cancellationToken).ConfigureAwait(false);
            var claimed = queues.Count == 0 ? [] : await ClaimAsync(new ClaimRequest(queues, _registry.Names, 1, PoolId), cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return ran;
            }

            if (ran.Count == AttemptLimit)
            {
                throw new JobsAssertionException(
                    $"RunDueJobsAsync ran {AttemptLimit} attempts and job {claimed[0].Id} ({claimed[0].Type}) is still due: a job that schedules " +
                    "more work due at once keeps this loop going. Run fewer jobs per call, or schedule the follow-up work with a delay.");
            }

            ran.Add(await RunClaimedAsync(claimed[0], cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Schedules a job of <paramref name="type"/> with <paramref name="args"/> through <see cref="IJobClient"/> and runs
    /// its first attempt now, alone; returns the job as the attempt left it (Finished, queued for a retry with its
    /// <see cref="Job.LastError"/>, or Failed).</summary>
    public async Task<Job> RunAsync<TArgs>(string type, TArgs args, CancellationToken cancellationToken = default)
        => await RunScheduledAsync(await _client.ScheduleAsync(type, args, cancellationToken: cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Schedules a job of a type without payload and runs its first attempt now, alone, as
    /// <see cref="RunAsync{TArgs}(string, TArgs, CancellationToken)"/> does.</summary>
    public async Task<Job> RunAsync(string type, CancellationToken cancellationToken = default)
        => await RunScheduledAsync(await _client.ScheduleAsync(type, cancellationToken: cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<Job> RunScheduledAsync(Job job, CancellationToken cancellationToken)
    {
        if (!_registry.TryGet(job.Type, out _))
        {
            throw new InvalidOperationException($"Job type '{job.Type}' has no handler in this service provider; register it with AddJobType or AddJobHandler before running it.");
        }

        var claimed = await ClaimAsync(new ClaimRequest([job.Queue], [job.Type], 1, PoolId, job.Id), cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            throw new InvalidOperationException($"Job {job.Id} ({job.Type}) was scheduled but could not be claimed: something else ran or changed it.");
        }

        return await RunClaimedAsync(claimed[0], cancellationToken).ConfigureAwait(false);
    }

    private Task<List<JobRecord>> ClaimAsync(ClaimRequest claim, CancellationToken cancellationToken)
        => _store.ClaimReadyAsync(claim, Now(), cancellationToken);

    /// <summary>Runs the attempt and stores its outcome as the completer would, re-deciding it when the row moved meanwhile
    /// (a progress write, or the handler cancelling its own job).</summary>
    private async Task<Job> RunClaimedAsync(JobRecord record, CancellationToken cancellationToken)
    {
        using var running = new RunningJob(record, PoolId);
        using var stop = cancellationToken.UnsafeRegister(static s => ((RunningJob)s!).Cancel(CancelReason.Shutdown), running);
        var outcome = await _executor.RunAsync(running).ConfigureAwait(false);
        for (var round = 0; ; round++)
        {
            if ((await _store.ApplyAsync([Transitions.For(outcome)], Now(), CancellationToken.None).ConfigureAwait(false))[0])
            {
                break;
            }

            var row = await _store.FindAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
            if (row is null || row.Status != JobStatus.Executing || row.PoolId != PoolId || row.Attempt != record.Attempt || round == 3)
            {
                break; // Deleted or ended by the handler itself: the row says what happened.
            }

            var kind = JobStateMachine.AfterLostSwap(outcome.Kind, JobState.Of(row));
            outcome = kind == outcome.Kind ? outcome with { Version = row.Version } : outcome with { Kind = kind, Version = row.Version, Error = null, RetryAt = null };
        }

        var after = await _store.FindAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
        return new Job(_operations, after ?? record);
    }

    /// <summary>Queues with a job due now; a claim names its queues, and the tester serves them all.</summary>
    private async Task<List<string>> DueQueuesAsync(CancellationToken cancellationToken)
        => [.. (await _store.ReadQueuesAsync(Now(), cancellationToken).ConfigureAwait(false)).Where(q => q.OldestDue is not null).Select(q => q.Queue)];

    private async Task<List<JobRecord>> QueuedAsync(string type, CancellationToken cancellationToken)
    {
        var filter = new JobQuery { Type = type, Status = JobStatus.Queued };
        var all = new List<JobRecord>();
        var after = 0L;
        while (true)
        {
            var page = await _store.FindMatchingAsync(filter, after, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    private async Task<string> DescribeQueuedAsync(CancellationToken cancellationToken)
    {
        var byType = (await _store.CountByTypeAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.Status == JobStatus.Queued && c.Count > 0)
            .Select(c => $"'{c.Type}' ({c.Count})")
            .ToList();
        return byType.Count == 0 ? "No job of any type is queued." : $"Queued types: {string.Join(", ", byType)}.";
    }

    private static string DescribePayloads(string type, List<JobRecord> rows)
    {
        if (rows.Count == 0)
        {
            return $"no job of type '{type}' is waiting to run.";
        }

        const int Shown = 10;
        var lines = rows.TakeLast(Shown).Select(r => $"  job {r.Id}, run at {r.RunAt:o}: {r.Payload ?? "(no payload)"}");
        var more = rows.Count > Shown ? $"\n  … and {rows.Count - Shown} older" : "";
        var count = rows.Count == 1 ? "1 job of that type is" : $"{rows.Count} jobs of that type are";
        return $"{count} waiting to run, newest last:\n{string.Join('\n', lines)}{more}";
    }

    private static string Show(JsonNode? payload) => payload?.ToJsonString() ?? "null";

    private JsonNode? Serialize<TArgs>(TArgs args) => JsonSerializer.SerializeToNode(args, _options.SerializerOptions);

    private static bool SamePayload(string? stored, JsonNode? expected)
    {
        try
        {
            return JsonNode.DeepEquals(stored is null ? null : JsonNode.Parse(stored), expected);
        }
        catch (JsonException)
        {
            return false; // A payload that is not JSON cannot equal any arguments.
        }
    }

    private DateTime Now() => Time.GetUtcNow().UtcDateTime;
}
