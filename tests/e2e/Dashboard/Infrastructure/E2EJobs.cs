using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>Payload of <c>e2e.flaky</c>: fails with <see cref="Message"/> until the test lets its key succeed.</summary>
internal sealed record FlakyArgs(string Key, string? Message = null);

/// <summary>Payload of <c>e2e.wait</c>: runs until its cancellation token is cancelled.</summary>
internal sealed record WaitArgs(string Key);

/// <summary>Payload of <c>e2e.note</c>: does nothing with its text.</summary>
internal sealed record NoteArgs(string Text);

/// <summary>The job types of the dashboard tests, registered in the test server next to the demo types, and the switches the tests
/// use to steer them. The server runs in the test process, so these statics are shared with the handlers.</summary>
internal static class E2EJobs
{
    public const string Flaky = "e2e.flaky";
    public const string Wait = "e2e.wait";
    public const string Note = "e2e.note";

    /// <summary>Its payload is written but can never be read back (<see cref="UnreadableArgs"/>).</summary>
    public const string Unreadable = "e2e.unreadable";

    /// <summary>Fails every attempt and waits an hour before the next: after its first attempt it sits queued, retrying.</summary>
    public const string SlowRetry = "e2e.slow-retry";

    private static readonly ConcurrentDictionary<string, bool> Succeed = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Cancelled = new();

    /// <summary>From now on, the flaky job with this key succeeds.</summary>
    public static void LetSucceed(string key) => Succeed[key] = true;

    /// <summary>Completes when a waiting job with this key saw its token cancelled.</summary>
    public static Task CancelledTask(string key) => Cancelled.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static IServiceCollection AddE2EJobTypes(this IServiceCollection services)
    {
        new Builder(services)
            .AddJobType<FlakyArgs>(Flaky, RunFlakyAsync, o => o.MaxRetries = 0)
            .AddJobType<WaitArgs>(Wait, RunWaitAsync, o => o.MaxRetries = 0)
            .AddJobType<NoteArgs>(Note, (_, _) => Task.CompletedTask)
            .AddJobType<UnreadableArgs>(Unreadable, (_, _) => Task.CompletedTask, o => o.MaxRetries = 3)
            .AddJobType<NoteArgs>(SlowRetry, (args, _) => throw new InvalidOperationException($"{args.Text} fails"), o =>
            {
                o.MaxRetries = 3;
                o.Backoff.BaseDelay = TimeSpan.FromHours(1);
            });
        return services;
    }

    private static Task RunFlakyAsync(FlakyArgs args, JobContext context)
        => Succeed.ContainsKey(args.Key)
            ? Task.CompletedTask
            : throw new InvalidOperationException(args.Message ?? $"Flaky job {args.Key} refused on attempt {context.Attempt}");

    private static async Task RunWaitAsync(WaitArgs args, JobContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.GetOrAdd(args.Key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            throw;
        }
    }

    private sealed class Builder(IServiceCollection services) : IJobsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
