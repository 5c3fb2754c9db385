using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage.Sqlite;

/// <summary>The SQLite flavour of the schema; its own type so that it owns its own migrations.</summary>
internal sealed class SqliteJobsDbContext(DbContextOptions<SqliteJobsDbContext> options) : JobsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // A function of the connection, not of the schema: SqliteConnectionInterceptor registers it on every native connection.
        modelBuilder.HasDbFunction(typeof(SqliteText).GetMethod(nameof(SqliteText.Lower))!).HasName(SqliteText.LowerFunction);
    }
}
