namespace Jobs.Tests.Infrastructure;

/// <summary>Files of this repository, for tests that keep documentation equal to the code it shows.</summary>
internal static class RepositoryFiles
{
    /// <summary>The text of <paramref name="relativePath"/> (from the repository root) with Unix line ends.</summary>
    public static string Read(string relativePath)
        => File.ReadAllText(Path.Combine(FindRoot(), relativePath)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The text between the first <paramref name="start"/> and the next <paramref name="end"/>.</summary>
    public static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            throw new InvalidOperationException($"'{start.Trim()}' not found");
        }

        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Jobs.sln not found above " + AppContext.BaseDirectory);
    }
}
