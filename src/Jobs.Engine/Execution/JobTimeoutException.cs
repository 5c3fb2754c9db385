namespace Jobs.Execution;

/// <summary>Stored as the error of an attempt that ran longer than its job type's timeout.</summary>
internal sealed class JobTimeoutException(string message, Exception? inner) : TimeoutException(message, inner);
