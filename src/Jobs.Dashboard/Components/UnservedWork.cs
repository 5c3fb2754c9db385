namespace Jobs.Dashboard.Components;

/// <summary>Queued jobs of one type in a queue that no live pool serves: they wait until a pool serving it starts.</summary>
internal sealed record UnservedWork(string Type, string Queue, long Queued);
