using System.Reflection;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>Where things are in the repository the tests run from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder of Jobs.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of this test assembly (Debug or Release).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>Test artifacts (screenshots, logs of child processes): <c>artifacts/e2e</c> at the repository root, or JOBS_E2E_ARTIFACTS.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("JOBS_E2E_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(Root, "artifacts", "e2e")).FullName;

    /// <summary>The demo server's own build output, to start it as another process.</summary>
    public static string ServerDll => Path.Combine(Root, "src", "Jobs.Server", "bin", Configuration, "net10.0", "Jobs.Server.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Jobs.sln not found above {AppContext.BaseDirectory}.");
    }
}
