using System.Diagnostics;
using Jobs.Execution;
using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Diagnostics;

/// <summary>The spans the engine starts and the tag values they share with the metrics.</summary>
internal static class JobsTracing
{
    /// <summary>One span per attempt, linked to the context that scheduled the job when one was stored with it: the
    /// attempt runs long after, often in another process, so it starts a trace of its own rather than joining that one.</summary>
    public static Activity? StartExecute(JobRecord job)
    {
        ActivityLink[]? links = null;
        if (job.TraceParent is { } parent && ActivityContext.TryParse(parent, job.TraceState, isRemote: true, out var scheduled))
        {
            links = [new ActivityLink(scheduled)];
        }

        var activity = JobsActivitySource.Source.StartActivity(ActivityKind.Consumer, parentContext: default, tags: null, links, name: $"job.execute {job.Type}");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.id", job.Id);
            activity.SetTag("job.type", job.Type);
            activity.SetTag("job.queue", job.Queue);
            activity.SetTag("job.attempt", job.Attempt);
        }

        return activity;
    }

    /// <summary>A short producer span around storing new jobs, named for their type when they share one; the jobs store its
    /// context, so each attempt links back to it.</summary>
    public static Activity? StartSchedule(IReadOnlyList<NewJob> jobs)
    {
        if (!JobsActivitySource.Source.HasListeners())
        {
            return null;
        }

        var type = jobs[0].Type;
        var oneType = jobs.All(j => j.Type == type);
        var activity = JobsActivitySource.Source.StartActivity(oneType ? $"job.schedule {type}" : "job.schedule", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            if (oneType)
            {
                activity.SetTag("job.type", type);
            }

            if (jobs.Count == 1)
            {
                activity.SetTag("job.queue", jobs[0].Queue);
            }

            activity.SetTag("job.count", jobs.Count);
        }

        return activity;
    }

    public static string OutcomeName(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Succeeded => "succeeded",
        OutcomeKind.Retry => "retried",
        OutcomeKind.Failed => "failed",
        OutcomeKind.Cancelled => "cancelled",
        OutcomeKind.Released => "released",
        OutcomeKind.Rescued => "rescued",
        OutcomeKind.Paused => "paused",
        _ => "unknown",
    };
}
