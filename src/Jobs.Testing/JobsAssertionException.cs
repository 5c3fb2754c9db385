namespace Jobs.Testing;

/// <summary>Thrown by <see cref="JobsTester"/>'s assertions; any test framework reports it as a failed test, with a message
/// that lists what was found instead.</summary>
public sealed class JobsAssertionException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public JobsAssertionException()
    {
    }

    /// <summary>Creates the exception with the assertion's message.</summary>
    public JobsAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the assertion's message and the exception behind it.</summary>
    public JobsAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
