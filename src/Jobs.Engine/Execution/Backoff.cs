namespace Jobs.Execution;

/// <summary>Wait after consecutive database failures: 200 ms doubling to 10 s, so a pool recovers soon after the database does.</summary>
internal static class Backoff
{
    public static TimeSpan For(int failures)
        => TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures - 1, 10))));
}
