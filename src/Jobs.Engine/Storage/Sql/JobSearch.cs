using System.Buffers;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;

namespace Jobs.Storage.Sql;

/// <summary>The text search of <see cref="JobQuery.Search"/>: the term as typed, found anywhere in the type, the payload or the
/// last error, whatever the case, with <c>%</c>, <c>_</c>, <c>[</c> and <c>\</c> taken literally; a whole number also finds
/// the job with that id. The condition is SQL: it scans, but never reads rows into .NET to decide.</summary>
internal static class JobSearch
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static Expression<Func<JobRecord, bool>> Matching(string term, StorageProvider provider)
    {
        var text = term.ToLowerInvariant();
        var job = Expression.Parameter(typeof(JobRecord), "j");
        var textPattern = ContainsPattern(text);
        Expression? condition = null;
        if (long.TryParse(term.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            condition = Expression.Equal(Expression.Property(job, nameof(JobRecord.Id)), Parameter(id));
        }

        condition = Or(condition, Like(provider, Expression.Property(job, nameof(JobRecord.Type)), textPattern));

        // Payloads are JSON: inside a string value a quote reads \", a backslash \\ and a few invisible characters \uXXXX, so
        // the term is looked for in that form too (its hex digits lowered, as the column is). The term as typed also finds the
        // JSON the list shows ("name":"x", or \"x\" copied from it), unless it holds a backslash that starts no JSON escape:
        // a bare \ would match every escape.
        var payload = Expression.Property(job, nameof(JobRecord.Payload));
        var inJson = PayloadJson.InString(text).ToLowerInvariant();
        if (IsJsonEscaped(text))
        {
            condition = Or(condition, Like(provider, payload, textPattern));
        }

        if (inJson != text)
        {
            condition = Or(condition, Like(provider, payload, ContainsPattern(inJson)));
        }

        condition = Or(condition, Like(provider, Expression.Property(job, nameof(JobRecord.LastErrorType)), textPattern));
        condition = Or(condition, Like(provider, Expression.Property(job, nameof(JobRecord.LastErrorMessage)), textPattern));
        return Expression.Lambda<Func<JobRecord, bool>>(condition, job);
    }

    /// <summary>True when every backslash in <paramref name="text"/> starts a JSON escape (<c>\"</c>, <c>\\</c>, <c>\/</c>,
    /// <c>\b</c>, <c>\f</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\uXXXX</c>).</summary>
    internal static bool IsJsonEscaped(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
            {
                i++;
            }
            else if (i + 5 < text.Length && text[i + 1] == 'u' && !text.AsSpan(i + 2, 4).ContainsAnyExcept(HexDigits))
            {
                i += 5;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A <c>LIKE</c> pattern that finds <paramref name="text"/> anywhere, every character of it taken literally: the
    /// wildcards <c>%</c> and <c>_</c>, SQL Server's <c>[</c> and the escape character itself are escaped (an escaped
    /// <c>[</c> is a plain <c>[</c> to SQLite and PostgreSQL too).</summary>
    internal static string ContainsPattern(string text)
    {
        var sb = new StringBuilder(text.Length + 8).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '[' or '\\')
            {
                sb.Append(StorageProvider.LikeEscape[0]);
            }

            sb.Append(c);
        }

        return sb.Append('%').ToString();
    }

    private static Expression Like(StorageProvider provider, Expression column, string pattern)
    {
        var like = provider.LikeIgnoringCase(pattern);
        return new Substitution(like.Parameters[0], column).Visit(like.Body);
    }

    private static Expression Or(Expression? left, Expression right) => left is null ? right : Expression.OrElse(left, right);

    /// <summary>A value EF sends as a SQL parameter: it parameterizes a captured variable, where a constant would be written
    /// into the SQL and give every term its own cached query.</summary>
    private static MemberExpression Parameter<T>(T value)
    {
        Expression<Func<T>> captured = () => value;
        return (MemberExpression)captured.Body;
    }

    private sealed class Substitution(ParameterExpression parameter, Expression value) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? value : base.VisitParameter(node);
    }
}
