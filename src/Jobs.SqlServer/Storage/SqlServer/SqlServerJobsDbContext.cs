using Jobs.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobs.Storage.SqlServer;

/// <summary>The SQL Server flavour of the schema; its own type so that it owns its own migrations.</summary>
internal sealed class SqlServerJobsDbContext(DbContextOptions<SqlServerJobsDbContext> options) : JobsDbContext(options)
{
    /// <summary>The version is a native <c>rowversion</c>: SQL Server moves it on every write. Its eight big-endian bytes read
    /// as the same 64-bit number the engine compares.</summary>
    protected override void ConfigureVersion(PropertyBuilder<long> version)
        => version.HasConversion<byte[]>().IsRowVersion();
}
