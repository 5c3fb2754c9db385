namespace Jobs.Storage;

/// <summary>A job to insert. <c>TraceParent</c> and <c>TraceState</c> are the scheduling activity's W3C context, already
/// checked and capped (<c>Diagnostics/StoredTrace</c>).</summary>
internal sealed record NewJob(
    string Type, string Queue, string? Payload, int Priority, DateTime RunAt, long? IntervalMs, int MaxRetries,
    string? TraceParent = null, string? TraceState = null);
