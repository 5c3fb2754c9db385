using System.Globalization;

namespace Jobs.TestWorker;

internal sealed record WorkerSettings(
    string Provider, string ConnectionString, string Name, int Workers, TimeSpan StaleTimeout, TimeSpan HeartbeatInterval, TimeSpan MinWait, TimeSpan JobDelay,
    bool PrintLinks)
{
    public static WorkerSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Get(string key, string? fallback = null)
            => values.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"{key} is required.", nameof(args));
        TimeSpan Ms(string key, int fallback) => TimeSpan.FromMilliseconds(int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));

        return new WorkerSettings(
            Get("--provider"),
            Get("--connection"),
            Get("--name"),
            int.Parse(Get("--workers", "8"), CultureInfo.InvariantCulture),
            Ms("--stale-timeout-ms", 30_000),
            Ms("--heartbeat-ms", 1_000),
            Ms("--min-wait-ms", 200),
            Ms("--job-delay-ms", 0),
            Get("--print-links", "false") == "true");
    }
}
