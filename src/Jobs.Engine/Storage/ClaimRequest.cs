namespace Jobs.Storage;

/// <summary>What a pool may claim: ready jobs of these queues and types, at most <paramref name="Limit"/>, for <paramref name="PoolId"/>;
/// with <paramref name="Id"/>, only that job (the testing kit runs one job it just scheduled).</summary>
internal sealed record ClaimRequest(IReadOnlyCollection<string> Queues, IReadOnlyCollection<string> Types, int Limit, string PoolId, long? Id = null);
