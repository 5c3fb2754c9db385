using System.Data;
using System.Text.Json;
using Jobs.Diagnostics;
using Jobs.Storage;
using Jobs.Storage.Model;
using Jobs.Storage.Sql;
using Jobs.Storage.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using SortOrder = Microsoft.SqlServer.TransactSql.ScriptDom.SortOrder;

namespace Jobs.Tests;

/// <summary>SQL Server cannot run on the CI machine, so its SQL is checked offline: the migration script and the engine's
/// hand-written statements are parsed by Microsoft's T-SQL parser and inspected. The live suite runs on SQL Server
/// whenever JOBS_TEST_SQLSERVER is set.</summary>
public sealed class SqlServerSqlTests
{
    private static readonly SqlServerStorageProvider Provider = new(new DatabaseOptions
    {
        Provider = DatabaseProvider.SqlServer,
        ConnectionString = "Server=offline.invalid;Database=jobs",
    });

    [Fact]
    public void Migration_SqlServer_IdempotentScriptWithRowversionAndIndexes()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var fragment = Parse(script);
        var columns = Collect<ColumnDefinition>(fragment);
        var version = Assert.Single(columns, c => c.ColumnIdentifier.Value == "version");
        Assert.Equal("rowversion", ((SqlDataTypeReference)version.DataType).Name.BaseIdentifier.Value, ignoreCase: true);
        Assert.Contains("[version] rowversion NOT NULL", script, StringComparison.Ordinal);

        // Later migrations may drop and re-create an index: the last definition is the one the schema ends with.
        var indexes = Collect<CreateIndexStatement>(fragment).GroupBy(i => i.Name.Value).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(
            ["ix_job_events_job", "ix_jobs_claim", "ix_jobs_pool", "ix_jobs_queue", "ix_jobs_status", "ix_jobs_type"],
            indexes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["type", "status", "id"], indexes["ix_jobs_type"].Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value));
        // A filtered index is created through EXEC(N'...') in an idempotent script, so it is checked as text.
        Assert.Contains("CREATE INDEX [ix_jobs_recurring] ON [jobs] ([id]) WHERE interval_ms IS NOT NULL", script, StringComparison.Ordinal);
        var claim = indexes["ix_jobs_claim"].Columns;
        Assert.Equal(["status", "priority", "run_at", "id"], claim.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value));
        Assert.Equal([SortOrder.NotSpecified, SortOrder.Descending, SortOrder.NotSpecified, SortOrder.NotSpecified], claim.Select(c => c.SortOrder));

        // Idempotent: every step is guarded by the history table, so a DBA can run it on any version of the schema.
        Assert.Contains("IF NOT EXISTS (", script.Replace("IF NOT EXISTS(", "IF NOT EXISTS (", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(context.Database.GetMigrations().Last(), script, StringComparison.Ordinal);
    }

    [Fact]
    public void Migration_SqlServer_ReadablePayloadsCreatesProgressTableAndMarksTheNewestJob()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var table = Assert.Single(Collect<CreateTableStatement>(Parse(script)), t => t.SchemaObjectName.BaseIdentifier.Value == "job_data_migrations");
        Assert.Equal(["name", "done_through_id", "last_id"], table.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
        var insert = Assert.Single(Collect<InsertStatement>(Parse(script)), i => i.InsertSpecification.Target is NamedTableReference
        {
            SchemaObject.BaseIdentifier.Value: "job_data_migrations",
        });
        Assert.IsType<SelectInsertSource>(insert.InsertSpecification.InsertSource);
        Assert.Contains($"SELECT '{PayloadRewriter.Name}', 0, COALESCE(MAX(id), 0) FROM jobs", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Migration_SqlServer_PausedStatusAddsPauseRequestedAndMovesCancelledRecurringJobsToPaused()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var fragment = Parse(script);

        var added = Assert.Single(Collect<AlterTableAddTableElementStatement>(fragment).SelectMany(a => a.Definition.ColumnDefinitions),
            c => c.ColumnIdentifier.Value == "pause_requested");
        Assert.Equal("bit", ((SqlDataTypeReference)added.DataType).Name.BaseIdentifier.Value, ignoreCase: true);
        Assert.NotNull(added.DefaultConstraint);
        var moves = Collect<UpdateStatement>(fragment)
            .Where(u => u.UpdateSpecification.Target is NamedTableReference { SchemaObject.BaseIdentifier.Value: "jobs" })
            .Select(u => script.Substring(u.StartOffset, u.FragmentLength)).ToList();
        Assert.Equal(["UPDATE jobs SET status = 5 WHERE status = 4 AND interval_ms IS NOT NULL"], moves);
    }

    [Fact]
    public void Search_SqlServer_LowerLikeWithEscapeClauseAndEveryMetacharacterEscaped()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var sql = JobFilters.Where(context.Jobs, new JobQuery { Search = @" 50%_[x]\ Über " }, Provider).ToQueryString();

        var likes = Collect<LikePredicate>(Parse(sql));
        // Type, payload (only as the text reads inside JSON: the term holds a backslash), error type, error message.
        Assert.Equal(4, likes.Count);
        Assert.All(likes, like =>
        {
            Assert.Equal("LOWER", Assert.IsType<FunctionCall>(like.FirstExpression).FunctionName.Value, ignoreCase: true);
            Assert.Equal(@"\", Assert.IsType<StringLiteral>(like.EscapeExpression).Value);
        });
        Assert.Contains(@"N'%50\%\_\[x]\\ über%'", sql, StringComparison.Ordinal);
        Assert.Contains(@"N'%50\%\_\[x]\\\\ über%'", sql, StringComparison.Ordinal);
        Assert.Contains("LOWER([j].[payload]) LIKE", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_SqlServer_VersionIsARowversionConcurrencyToken()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var version = context.Model.FindEntityType(typeof(JobRecord))!.FindProperty(nameof(JobRecord.Version))!;

        Assert.Equal("rowversion", version.GetColumnType());
        Assert.True(version.IsConcurrencyToken);
        Assert.Equal(ValueGenerated.OnAddOrUpdate, version.ValueGenerated);
        Assert.Equal(typeof(byte[]), version.GetTypeMapping().Converter!.ProviderClrType);
    }

    [Fact]
    public void Claim_SqlServer_OneUpdateOfAnOrderedTopThatSkipsRowsOtherPoolsHold()
    {
        using var command = new SqlCommand();
        var session = new SqlSession(Provider, new JobsMetrics(null));
        session.Add(command, "@pool", "pool-1");
        var filter = SqlClaims.ReadyFilter(new ClaimRequest(["default", "mail"], ["a"], 10_000, "pool-1"), DateTime.UtcNow, (name, value) => session.Add(command, name, value));

        command.CommandText = Provider.ClaimSql(filter, SqlClaims.ClaimSet(Provider));

        var update = Assert.IsType<UpdateStatement>(Assert.Single(Assert.Single(((TSqlScript)Parse(command.CommandText)).Batches).Statements));
        Assert.NotNull(update.UpdateSpecification.OutputClause);
        Assert.Null(update.UpdateSpecification.OutputIntoClause);
        var pick = Assert.IsType<QuerySpecification>(Assert.Single(update.WithCtesAndXmlNamespaces.CommonTableExpressions).QueryExpression);
        Assert.NotNull(pick.TopRowFilter);
        var table = Assert.IsType<NamedTableReference>(Assert.Single(pick.FromClause.TableReferences));
        Assert.Equal([TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock], table.TableHints.Select(h => h.HintKind));
        Assert.Contains("ORDER BY priority DESC, run_at, id", command.CommandText, StringComparison.Ordinal);
        Assert.Contains("WHERE status = 0 AND run_at <= @now AND queue IN (@q0, @q1) AND type IN (@t0)", command.CommandText, StringComparison.Ordinal);
        Assert.Contains("OUTPUT inserted.id, inserted.type,", command.CommandText, StringComparison.Ordinal);
        Assert.EndsWith(", CAST(inserted.version AS bigint)", command.CommandText, StringComparison.Ordinal);

        // A handful of parameters whatever the batch size: far below SQL Server's 2,100.
        Assert.Equal(["@pool", "@now", "@q0", "@q1", "@t0", "@limit"], command.Parameters.Cast<SqlParameter>().Select(p => p.ParameterName));
        Assert.Equal(DbType.DateTime2, command.Parameters["@now"].DbType);
        Assert.Equal(10_000, command.Parameters["@limit"].Value);
    }

    [Fact]
    public void CompareAndSwap_SqlServer_ComparesRowversionAndReturnsTheNewOne()
    {
        var sql = Provider.UpdateReturning("jobs", "progress_percent = @pp", $"id = @id AND {Provider.VersionMatches("@seen")} AND status = 1", ["version"]);

        Assert.IsType<UpdateStatement>(Assert.Single(Assert.Single(((TSqlScript)Parse(sql)).Batches).Statements));
        Assert.Equal("UPDATE jobs SET progress_percent = @pp OUTPUT CAST(inserted.version AS bigint) WHERE id = @id AND version = CAST(@seen AS binary(8)) AND status = 1", sql);
        Assert.Equal("", Provider.BumpVersion);
    }

    private static TSqlFragment Parse(string sql)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")) + "\n" + sql[..Math.Min(sql.Length, 2000)]);
        return fragment;
    }

    private static List<T> Collect<T>(TSqlFragment fragment)
        where T : TSqlFragment
    {
        var visitor = new Collector<T>();
        fragment.Accept(visitor);
        return visitor.Found;
    }

    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match)
            {
                Found.Add(match);
            }
        }
    }
}
