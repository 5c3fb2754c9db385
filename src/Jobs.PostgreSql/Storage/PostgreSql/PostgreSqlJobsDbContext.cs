using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobs.Storage.PostgreSql;

/// <summary>The PostgreSQL flavour of the schema; its own type so that it owns its own migrations.</summary>
internal sealed class PostgreSqlJobsDbContext(DbContextOptions<PostgreSqlJobsDbContext> options) : JobsDbContext(options)
{
    /// <summary>The version is the row's <c>xmin</c> system column: PostgreSQL moves it on every write, so there is no column
    /// to create and nothing for the engine to bump.</summary>
    protected override void ConfigureVersion(PropertyBuilder<long> version)
        => version.HasColumnName("xmin").HasColumnType("xid").HasConversion<uint>().IsRowVersion();
}
