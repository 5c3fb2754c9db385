using System.ComponentModel.DataAnnotations;

using System.Text.Encodings.Web;
using System.Text.Json;

namespace Jobs;

/// <summary>Options of the Jobs engine. Bound from the configuration section <c>Jobs</c> and validated at start-up.</summary>
public sealed class JobsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Jobs";

    /// <summary>The storage.</summary>
    public DatabaseOptions Database { get; } = new();

    /// <summary>The worker pool of this process.</summary>
    public PoolOptions Pool { get; } = new();

    /// <summary>The queue of job types that do not name one. Default: <c>default</c>.</summary>
    public string DefaultQueue { get; set; } = "default";

    /// <summary>How often a handler's progress reports are written at most, per job (0 to 1 minute). Default: 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ProgressWriteInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How payloads are serialized to JSON. Default: <see cref="JsonSerializerDefaults.Web"/> with
    /// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>, so that non-ASCII text, apostrophes and characters such as
    /// <c>&lt;</c> and <c>&amp;</c> are written as themselves rather than as <c>\uXXXX</c> escapes. Payloads are stored in that readable form whatever encoder these options
    /// carry (written again as the same JSON value): it is what the dashboard shows and what its search looks through.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Stores jobs in SQLite.</summary>
    /// <param name="connectionString">For example <c>Data Source=jobs.db</c>.</param>
    /// <returns>These options, for chaining.</returns>
    public JobsOptions UseSqlite(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Database.Provider = DatabaseProvider.Sqlite;
        Database.ConnectionString = connectionString;
        return this;
    }
}
