namespace Jobs.Execution;

/// <summary>Stored as the error of an attempt whose pool stopped beating while it ran.</summary>
internal sealed class PoolLostException(string message) : Exception(message);
