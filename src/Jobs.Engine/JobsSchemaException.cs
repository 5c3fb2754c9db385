namespace Jobs;

/// <summary>The jobs database's schema is older or newer than this code's. Thrown at start-up, before any job is touched.</summary>
public sealed class JobsSchemaException : Exception
{
    /// <summary>Creates the exception naming both schema versions.</summary>
    public JobsSchemaException(string message, string? databaseVersion, string codeVersion)
        : base(message)
    {
        DatabaseVersion = databaseVersion;
        CodeVersion = codeVersion;
    }

    /// <summary>Creates the exception.</summary>
    public JobsSchemaException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobsSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobsSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The last migration applied to the database; null for an empty database.</summary>
    public string? DatabaseVersion { get; }

    /// <summary>The last migration this code knows.</summary>
    public string CodeVersion { get; } = "";
}
