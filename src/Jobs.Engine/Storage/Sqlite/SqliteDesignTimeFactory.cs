using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobs.Storage.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add ... --context SqliteJobsDbContext</c> build the model without an app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteJobsDbContext>
{
    public SqliteJobsDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteJobsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
