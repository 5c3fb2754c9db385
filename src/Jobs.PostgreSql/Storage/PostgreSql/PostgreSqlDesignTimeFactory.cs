using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobs.Storage.PostgreSql;

/// <summary>Lets <c>dotnet ef migrations add|script ... --context PostgreSqlJobsDbContext</c> build the model without an app
/// or a server.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlJobsDbContext>
{
    public PostgreSqlJobsDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgreSqlJobsDbContext>().UseNpgsql("Host=localhost;Database=jobs").Options);
}
