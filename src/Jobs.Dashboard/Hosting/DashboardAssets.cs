using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Hosting;

/// <summary>Serves the files the dashboard page loads (MudBlazor, Blazor's script, the dashboard's stylesheet and script) from
/// resources embedded in this assembly, so they never depend on the host's static files.</summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, EmbeddedAsset> Assets = Load();

    /// <summary>Appended to asset URLs so a new build is fetched fresh.</summary>
    public static string Version { get; } = Convert.ToHexString(
        SHA256.HashData(typeof(DashboardAssets).Assembly.ManifestModule.ModuleVersionId.ToByteArray()))[..12].ToLowerInvariant();

    public static Task ServeAsync(HttpContext context, string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return asset.ServeAsync(context, Version);
    }

    /// <summary>Compresses every asset in the background, once per process, so that the first page load finds them ready.</summary>
    public static void PrepareInBackground()
        => _ = Task.Run(() =>
        {
            foreach (var asset in Assets.Values)
            {
                asset.Prepare();
            }

            DashboardIcon.Asset.Prepare();
        });

    /// <summary>An embedded resource by its full name, as an asset.</summary>
    public static EmbeddedAsset LoadResource(string resource, string contentType)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard's resource {resource} is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new EmbeddedAsset(buffer.ToArray(), contentType);
    }

    private static FrozenDictionary<string, EmbeddedAsset> Load()
    {
        const string prefix = "JobsDashboard.";
        return typeof(DashboardAssets).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                n => n[prefix.Length..],
                n => LoadResource(n, n.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"),
                StringComparer.Ordinal);
    }
}
