using Jobs.Storage.PostgreSql;
using Jobs.Storage.Sql;
using Jobs.Storage.SqlServer;

namespace Jobs.Tests.Storage;

/// <summary>The engine finds a server database's storage in its own package by name, so configuration alone selects it.</summary>
public sealed class ProviderPackagesTests
{
    [Fact]
    public void Create_PostgreSqlConfigured_FindsTheJobsPostgreSqlPackage()
    {
        using var provider = ProviderPackages.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=db;Username=app" });
        Assert.IsType<PostgreSqlStorageProvider>(provider);
    }

    [Fact]
    public void Create_SqlServerConfigured_FindsTheJobsSqlServerPackage()
    {
        using var provider = ProviderPackages.Create(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=db;Database=app" });
        Assert.IsType<SqlServerStorageProvider>(provider);
    }

    [Fact]
    public void Create_PackageNotReferenced_NamesThePackageToAdd()
    {
        var database = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=db" };

        var error = Assert.Throws<InvalidOperationException>(() => ProviderPackages.Create(database, "Jobs.Nowhere", "Jobs.Storage.Nowhere.Provider"));

        Assert.Equal(
            "Jobs:Database:Provider is PostgreSql, but the package Jobs.Nowhere is not referenced by this app. " +
            "Add it (dotnet add package Jobs.Nowhere) and keep the same configuration.", error.Message);
    }
}
