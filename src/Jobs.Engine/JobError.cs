namespace Jobs;

/// <summary>The exception an attempt ended with.</summary>
/// <param name="Type">The exception's full type name.</param>
/// <param name="Message">The exception message.</param>
/// <param name="StackTrace">The full text of the exception, inner exceptions and stack traces included.</param>
public sealed record JobError(string Type, string Message, string StackTrace)
{
    /// <summary>Captures an exception.</summary>
    public static JobError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new JobError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString());
    }
}
