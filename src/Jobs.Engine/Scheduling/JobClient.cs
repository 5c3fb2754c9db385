using System.Text.Json;
using Jobs.Registration;
using Jobs.Storage;
using Microsoft.Extensions.Options;

namespace Jobs.Scheduling;

internal sealed class JobClient(
    JobStore store,
    StorageInitializer initializer,
    JobTypeRegistry registry,
    JobOperations operations,
    JobSignal signal,
    TimeProvider time,
    IOptions<JobsOptions> options) : IJobClient
{
    public async Task<Job> ScheduleAsync<TArgs>(string type, TArgs args, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => (await ScheduleManyAsync([JobRequest.Create(type, args, options)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<Job> ScheduleAsync(string type, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => (await ScheduleManyAsync([JobRequest.Create(type, options)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<Job> ScheduleRecurringAsync<TArgs>(
        string type, TArgs args, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => (await ScheduleManyAsync([JobRequest.CreateRecurring(type, args, interval, options)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<Job> ScheduleRecurringAsync(string type, TimeSpan interval, JobScheduleOptions? options = null, CancellationToken cancellationToken = default)
        => (await ScheduleManyAsync([JobRequest.CreateRecurring(type, interval, options)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<Job>> ScheduleManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var now = time.GetUtcNow().UtcDateTime;
        var jobs = requests.Select(r => ToNewJob(r, now)).ToList();
        if (jobs.Count == 0)
        {
            return [];
        }

        await initializer.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var records = await store.InsertAsync(jobs, now, cancellationToken).ConfigureAwait(false);
        signal.Notify(records.Min(r => r.RunAt));
        return [.. records.Select(r => new Job(operations, r))];
    }

    public async Task<Job> GetAsync(long id, CancellationToken cancellationToken = default)
        => new(operations, await operations.LoadAsync(id, cancellationToken).ConfigureAwait(false));

    private NewJob ToNewJob(JobRequest request, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = registry.Get(request.Type);
        string? payload = null;
        if (definition.ArgsType is null)
        {
            if (request.ArgsType is not null)
            {
                throw new ArgumentException(
                    $"Job type '{definition.Name}' takes no payload, but a {request.ArgsType.Name} was given. Schedule it without args.", nameof(request));
            }
        }
        else
        {
            if (request.ArgsType is null || !definition.ArgsType.IsAssignableFrom(request.ArgsType))
            {
                throw new ArgumentException(
                    $"Job type '{definition.Name}' takes a payload of type {definition.ArgsType.FullName}, but {(request.ArgsType is null ? "none" : request.ArgsType.FullName)} was given.",
                    nameof(request));
            }

            if (request.Args is null)
            {
                throw new ArgumentException($"The payload of a '{definition.Name}' job must not be null.", nameof(request));
            }

            // Stored readable whatever encoder the options carry, so that search finds the text in it.
            payload = PayloadJson.Readable(JsonSerializer.Serialize(request.Args, definition.ArgsType, options.Value.SerializerOptions));
        }

        var o = request.Options;
        if (request.Interval is { } interval && (interval <= TimeSpan.Zero || interval > TimeSpan.FromDays(366)))
        {
            throw new ArgumentOutOfRangeException(nameof(request), interval, $"The interval of a recurring '{definition.Name}' job must be between 1 ms and 366 days.");
        }

        if (o?.MaxRetries is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(request), o.MaxRetries, "MaxRetries must be between 0 and 1000.");
        }

        var queue = o?.Queue ?? definition.Options.Queue ?? options.Value.DefaultQueue;
        if (queue.Length is 0 or > 200)
        {
            throw new ArgumentException("A queue name must be 1 to 200 characters long.", nameof(request));
        }

        return new NewJob(
            definition.Name,
            queue,
            payload,
            o?.Priority ?? definition.Options.Priority,
            o?.RunAt?.UtcDateTime ?? now,
            request.Interval is { } i ? (long)Math.Max(1, i.TotalMilliseconds) : null,
            o?.MaxRetries ?? definition.Options.MaxRetries);
    }
}
