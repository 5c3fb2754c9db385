namespace Jobs.Execution;

/// <summary>Wait after consecutive database failures: 200 ms doubling to 10 s, so a pool recovers soon after the database does.</summary>
// The dashboard compiles this file into its own assembly (it sees none of the engine's internals), so both back off alike.
internal static class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    public static TimeSpan For(int failures) => For(failures, First, Max);

    /// <summary><paramref name="first"/> after one failure, doubling with each further one, never more than <paramref name="max"/>.</summary>
    public static TimeSpan For(int failures, TimeSpan first, TimeSpan max)
        // The exponent is capped only so that the power stays finite; the cap on the wait is max.
        => TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30))));
}
