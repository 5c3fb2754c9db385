using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobs.Storage.SqlServer;

/// <summary>Lets <c>dotnet ef migrations add|script ... --context SqlServerJobsDbContext</c> build the model without an app
/// or a server.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerJobsDbContext>
{
    public SqlServerJobsDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqlServerJobsDbContext>().UseSqlServer("Server=localhost;Database=jobs").Options);
}
