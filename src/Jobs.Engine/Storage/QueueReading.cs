namespace Jobs.Storage;

/// <summary>One queue as <see cref="IJobDriver.ReadQueuesAsync"/> reads it.</summary>
internal sealed record QueueReading(string Queue, long Queued, DateTime? OldestDue);
