using System.Net.Sockets;
using Jobs.Dashboard.Components;

namespace Jobs.Tests.Dashboard;

/// <summary>What a page says when it cannot read: the provider and the innermost cause, not a retry wrapper's words.</summary>
public sealed class ReadFailureTests
{
    [Fact]
    public void Describe_RetryWrapperAroundARefusedConnection_NamesTheProviderAndTheCause()
    {
        var refused = new SocketException((int)SocketError.ConnectionRefused);
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new InvalidOperationException("Failed to connect to 127.0.0.1:5432", refused));

        Assert.Equal($"Could not read the jobs: PostgreSQL unreachable: {refused.Message}",
            ReadFailure.Describe("the jobs", wrapped, DatabaseProvider.PostgreSql));
    }

    [Fact]
    public void Describe_StatementError_SaysErrorNotUnreachable()
        => Assert.Equal("Could not read the pools: SQL Server error: Invalid object name 'jobs'.",
            ReadFailure.Describe("the pools", new InvalidOperationException("Invalid object name 'jobs'."), DatabaseProvider.SqlServer));

    [Fact]
    public void Innermost_LongMultilineMessage_OneLineAndBounded()
    {
        var message = ReadFailure.Innermost(new InvalidOperationException("line one\nline two " + new string('x', 400)));

        Assert.StartsWith("line one line two x", message, StringComparison.Ordinal);
        Assert.Equal(301, message.Length);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
    }
}
