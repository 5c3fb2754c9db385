namespace Jobs.Execution;

/// <summary>Stored as the error of a job whose payload no longer deserializes; such a job fails without retries,
/// since every attempt would fail the same way.</summary>
internal sealed class JobPayloadException(string message, Exception? inner) : Exception(message, inner);
