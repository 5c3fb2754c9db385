using Jobs.Execution;

namespace Jobs;

/// <summary>The exception an attempt ended with, as stored: characters no database can store (NUL, unpaired surrogates)
/// are replaced by U+FFFD, and each part is cut at its limit with a marker such as <c>… [truncated 4,812,331 chars]</c>
/// (see docs/databases.md, "Text limits").</summary>
/// <param name="Type">The exception's full type name (at most 500 characters).</param>
/// <param name="Message">The exception message (in the history at most 16,384 characters; on <see cref="Job.LastError"/> at most 2,000).</param>
/// <param name="StackTrace">The full text of the exception, inner exceptions and stack traces included (in the history at most
/// 65,536 characters; on <see cref="Job.LastError"/> at most 8,000).</param>
public sealed record JobError(string Type, string Message, string StackTrace)
{
    /// <summary>Captures an exception. Never throws, whatever the exception does: a getter that throws (<c>Message</c>,
    /// <c>StackTrace</c>, <c>ToString</c>) is replaced by a note such as <c>&lt;Message threw InvalidOperationException&gt;</c>,
    /// and cyclic or very deep chains of inner exceptions are written out to a bounded depth.</summary>
    public static JobError FromException(Exception exception) => ExceptionDescriber.Describe(exception);
}
