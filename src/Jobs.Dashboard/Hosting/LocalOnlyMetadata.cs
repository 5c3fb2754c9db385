namespace Jobs.Dashboard.Hosting;

/// <summary>Marks a dashboard endpoint that serves local requests only, because no authorization policy was named for it.</summary>
internal sealed class LocalOnlyMetadata
{
    public static readonly LocalOnlyMetadata Instance = new();

    private LocalOnlyMetadata()
    {
    }
}
