namespace Jobs.Server;

/// <summary>The body of <c>GET /status</c>.</summary>
/// <param name="Counts">Jobs per state, keyed by state name, every state present.</param>
/// <param name="Pools">The pools that are alive.</param>
internal sealed record StatusResponse(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<PoolInfo> Pools);

internal static class StatusEndpoint
{
    public static async Task<StatusResponse> GetAsync(IJobMonitor monitor, CancellationToken cancellationToken)
    {
        var counts = await monitor.CountByStatusAsync(cancellationToken);
        var pools = await monitor.GetPoolsAsync(cancellationToken);

        // Keyed by name, in life-cycle order, so the JSON reads the same whatever order the engine's dictionary has.
        var byName = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToString(), s => counts.GetValueOrDefault(s));
        return new StatusResponse(byName, pools);
    }
}
