using System.Diagnostics;

namespace Jobs.Diagnostics;

/// <summary>The engine's ActivitySource, named <c>Jobs</c>: a producer span per schedule call and a consumer span per attempt.</summary>
internal static class JobsActivitySource
{
    public const string Name = "Jobs";

    public static readonly ActivitySource Source = new(Name, typeof(JobsActivitySource).Assembly.GetName().Version?.ToString());
}
