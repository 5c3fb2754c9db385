using System.Diagnostics;
using Jobs.Storage;

namespace Jobs.Diagnostics;

/// <summary>The trace context stored with a job: the W3C traceparent and tracestate of the activity that scheduled it.</summary>
internal static class StoredTrace
{
    /// <summary>The context of <paramref name="activity"/>, or nulls when there is none to continue (no activity, or one with a
    /// hierarchical id, which W3C carriers cannot hold).</summary>
    public static (string? Parent, string? State) Of(Activity? activity)
    {
        if (activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } || id.Length > StoredText.TraceParentMax)
        {
            return (null, null);
        }

        // A tracestate arrives from whoever called the app; one too long is dropped whole, as W3C lets a carrier do,
        // because a cut one would end in a broken entry.
        var state = activity.TraceStateString is { Length: > 0 and <= StoredText.TraceStateMax } s ? StoredText.Clean(s, StoredText.TraceStateMax) : null;
        return (StoredText.Clean(id, StoredText.TraceParentMax), state);
    }
}
