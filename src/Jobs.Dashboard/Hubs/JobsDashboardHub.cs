using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Jobs.Dashboard.Actions;
using Jobs.Dashboard.Live;
using Microsoft.AspNetCore.SignalR;

namespace Jobs.Dashboard.Hubs;

/// <summary>The live hub at <c>{path}/hub</c>: streams job events to any SignalR client, and takes the same actions as the pages,
/// under the same access rules (its endpoint is guarded like every dashboard endpoint; actions also check read-only mode).</summary>
internal sealed class JobsDashboardHub(DashboardEvents events, IJobMonitor monitor, DashboardActions actions) : Hub
{
    private const int BackfillBatch = 1000;
    private const int LiveBuffer = 10_000;

    /// <summary>Streams the events of every job, from every process, as they are recorded. With <paramref name="after"/>, first the
    /// stored events after that event id, then live ones, without duplicates; without it, live events from now on.</summary>
    public async IAsyncEnumerable<JobEvent> StreamEvents(long? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(LiveBuffer) { FullMode = BoundedChannelFullMode.DropOldest });
        using var subscription = events.Subscribe(batch =>
        {
            foreach (var e in batch)
            {
                live.Writer.TryWrite(e);
            }
        });

        // Subscribed before reading the backlog, so nothing recorded meanwhile is missed; what both deliver is sent once.
        var sent = new HashSet<long>();
        if (after is { } cursor)
        {
            while (true)
            {
                var stored = await monitor.GetEventsAsync(cursor, BackfillBatch, cancellationToken);
                foreach (var e in stored)
                {
                    yield return e;
                    Remember(sent, e.Id);
                    cursor = e.Id;
                }

                if (stored.Count < BackfillBatch)
                {
                    break;
                }
            }
        }

        await foreach (var e in live.Reader.ReadAllAsync(cancellationToken))
        {
            if (sent.Contains(e.Id))
            {
                continue;
            }

            Remember(sent, e.Id);
            yield return e;
        }
    }

    /// <summary>Retries a failed, cancelled or finished job; with <paramref name="version"/>, only if it is still as seen.</summary>
    public Task<string> Retry(long jobId, long? version) => ActAsync(JobAction.Retry, jobId, version);

    /// <summary>Makes a queued job due now.</summary>
    public Task<string> RunNow(long jobId, long? version) => ActAsync(JobAction.RunNow, jobId, version);

    /// <summary>Cancels a queued or executing job.</summary>
    public Task<string> Cancel(long jobId, long? version) => ActAsync(JobAction.Cancel, jobId, version);

    /// <summary>Deletes a job.</summary>
    public Task<string> Delete(long jobId, long? version) => ActAsync(JobAction.Delete, jobId, version);

    /// <summary>Pauses a recurring job.</summary>
    public Task<string> Pause(long jobId, long? version) => ActAsync(JobAction.Pause, jobId, version);

    /// <summary>Resumes a paused recurring job.</summary>
    public Task<string> Resume(long jobId, long? version) => ActAsync(JobAction.Resume, jobId, version);

    private static void Remember(HashSet<long> sent, long id)
    {
        sent.Add(id);
        if (sent.Count > 2 * LiveBuffer)
        {
            var floor = sent.Max() - LiveBuffer;
            sent.RemoveWhere(x => x < floor);
        }
    }

    private async Task<string> ActAsync(JobAction action, long jobId, long? version)
    {
        // The connection got here through the dashboard's guarded endpoint, so the access rule let it in.
        var caller = new DashboardCaller(Context.User ?? new System.Security.Claims.ClaimsPrincipal(), AccessGranted: true);
        try
        {
            var outcome = await actions.ApplyAsync(caller, action, new JobTarget(jobId, version), Context.ConnectionAborted);
            return outcome.Succeeded ? outcome.Message : throw new HubException(outcome.Message);
        }
        catch (DashboardAccessDeniedException ex)
        {
            throw new HubException(ex.Message);
        }
    }
}
