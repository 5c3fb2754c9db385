using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jobs.Diagnostics;
using Jobs.Registration;
using Jobs.Storage;
using Microsoft.Extensions.Options;

namespace Jobs.Scheduling;

internal sealed class JobClient(
    IJobDriver store,
    JobTypeRegistry registry,
    JobOperations operations,
    JobSignal signal,
    TimeProvider time,
    IOptions<JobsOptions> options) : IJobClient
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(366);

    public Task<Job> ScheduleAsync<TArgs>(string type, TArgs args, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => ScheduleOneAsync(JobRequest.Create(type, args, options), cancellationToken);

    public Task<Job> ScheduleAsync(string type, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => ScheduleOneAsync(JobRequest.Create(type, options), cancellationToken);

    public Task<Job> ScheduleRecurringAsync<TArgs>(
        string type, TArgs args, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => ScheduleOneAsync(JobRequest.CreateRecurring(type, args, interval, options), cancellationToken);

    public Task<Job> ScheduleRecurringAsync(string type, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => ScheduleOneAsync(JobRequest.CreateRecurring(type, interval, options), cancellationToken);

    public Task<IReadOnlyList<Job>> ScheduleManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return StoreAsync([.. requests], single: false, cancellationToken);
    }

    public async Task<Job> GetAsync(long id, CancellationToken cancellationToken = default)
        => new(operations, await operations.LoadAsync(id, cancellationToken).ConfigureAwait(false));

    private async Task<Job> ScheduleOneAsync(JobRequest request, CancellationToken cancellationToken)
        => (await StoreAsync([request], single: true, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Checks every request before anything is stored, so one bad entry of a batch stores none.</summary>
    private async Task<IReadOnlyList<Job>> StoreAsync(List<JobRequest> requests, bool single, CancellationToken cancellationToken)
    {
        var now = StoredTime.UtcNow(time);
        var jobs = requests.Select((r, i) => ToNewJob(r, new Names(single, i), now)).ToList();
        if (jobs.Count == 0)
        {
            return [];
        }

        // Started once every request is valid: a refused call schedules nothing, so it has no span.
        using var activity = JobsTracing.StartSchedule(jobs);
        var (parent, state) = StoredTrace.Of(activity ?? Activity.Current);
        if (parent is not null)
        {
            jobs = [.. jobs.Select(j => j with { TraceParent = parent, TraceState = state })];
        }

        IReadOnlyList<Storage.Model.JobRecord> records;
        try
        {
            records = await store.InsertAsync(jobs, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().FullName);
            throw;
        }

        if (records.Count == 1)
        {
            activity?.SetTag("job.id", records[0].Id);
        }

        signal.Notify(records.Min(r => r.RunAt));
        return [.. records.Select(r => new Job(operations, r))];
    }

    private NewJob ToNewJob(JobRequest? request, Names names, DateTime now)
    {
        if (request is null)
        {
            throw new ArgumentNullException(names.Request, "A request of the batch is null.");
        }

        if (StoredText.NameProblem(request.Type) is { } typeProblem)
        {
            throw new ArgumentException($"The job type {StoredText.Quote(request.Type)} {typeProblem}.", names.Type);
        }

        var definition = registry.Get(request.Type, names.Type);
        var payload = Serialize(request, definition, names);
        var o = request.Options;
        long? intervalMs = null;
        if (request.Interval is { } interval)
        {
            intervalMs = IntervalMilliseconds(interval, definition.Name, names.Interval);
        }

        if (OptionRanges.Problem<JobScheduleOptions>(nameof(JobScheduleOptions.MaxRetries), o?.MaxRetries, "MaxRetries") is { } retriesProblem)
        {
            throw new ArgumentOutOfRangeException(names.MaxRetries, o!.MaxRetries, retriesProblem);
        }

        if (o?.Queue is { } given && StoredText.NameProblem(given) is { } queueProblem)
        {
            throw new ArgumentException($"The queue {StoredText.Quote(given)} {queueProblem}.", names.Queue);
        }

        return new NewJob(
            definition.Name,
            o?.Queue ?? definition.Options.Queue ?? options.Value.DefaultQueue,
            payload,
            o?.Priority ?? definition.Options.Priority,
            o?.RunAt is { } runAt ? StoredTime.Truncate(runAt.UtcDateTime) : now,
            intervalMs,
            o?.MaxRetries ?? definition.Options.MaxRetries);
    }

    private string? Serialize(JobRequest request, JobTypeDefinition definition, Names names)
    {
        if (definition.ArgsType is null)
        {
            return request.ArgsType is null
                ? null
                : throw new ArgumentException(
                    $"Job type '{definition.Name}' takes no payload, but a {request.ArgsType.Name} was given. Schedule it without args.", names.Args);
        }

        if (request.ArgsType is null || !definition.ArgsType.IsAssignableFrom(request.ArgsType))
        {
            throw new ArgumentException(
                $"Job type '{definition.Name}' takes a payload of type {definition.ArgsType.FullName}, but {(request.ArgsType is null ? "none" : request.ArgsType.FullName)} was given.",
                names.Args);
        }

        if (request.Args is null)
        {
            throw new ArgumentException($"The payload of a '{definition.Name}' job must not be null.", names.Args);
        }

        // Stored readable whatever encoder the options carry, so that search finds the text in it.
        return PayloadJson.Readable(JsonSerializer.Serialize(request.Args, definition.ArgsType, options.Value.SerializerOptions));
    }

    /// <summary>The store keeps intervals in whole milliseconds: anything it would have to round is refused, not changed.</summary>
    private static long IntervalMilliseconds(TimeSpan interval, string type, string paramName)
    {
        if (interval < MinInterval || interval > MaxInterval)
        {
            throw new ArgumentOutOfRangeException(paramName, interval, $"The interval of a recurring '{type}' job must be between 1 ms and 366 days (was {interval}).");
        }

        if (interval.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, interval,
                $"The interval of a recurring '{type}' job must be a whole number of milliseconds, as it is stored in milliseconds " +
                $"(was {interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms).");
        }

        return interval.Ticks / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>What each part of a request is called in the method the caller used: <c>options.Queue</c> for a single
    /// schedule, <c>requests[3].Options.Queue</c> in a batch.</summary>
    private readonly record struct Names(bool Single, int Index)
    {
        public string Request => Single ? "request" : $"requests[{Index}]";
        public string Type => Single ? "type" : $"requests[{Index}].Type";
        public string Args => Single ? "args" : $"requests[{Index}].Args";
        public string Interval => Single ? "interval" : $"requests[{Index}].Interval";
        public string Queue => Single ? "options.Queue" : $"requests[{Index}].Options.Queue";
        public string MaxRetries => Single ? "options.MaxRetries" : $"requests[{Index}].Options.MaxRetries";
    }
}
