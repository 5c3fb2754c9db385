using System.Reflection;

namespace Jobs.Storage.Sql;

/// <summary>Creates the storage of a server database from its own package (Jobs.PostgreSql, Jobs.SqlServer), so an app pulls
/// only the EF Core provider it uses. The engine cannot reference those packages (they reference it), so it finds the provider
/// by its well-known type name; configuration alone (<c>Jobs:Database:Provider</c>) then works as soon as the package is added.</summary>
internal static class ProviderPackages
{
    public static StorageProvider Create(DatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.PostgreSql => Create(database, "Jobs.PostgreSql", "Jobs.Storage.PostgreSql.PostgreSqlStorageProvider"),
        DatabaseProvider.SqlServer => Create(database, "Jobs.SqlServer", "Jobs.Storage.SqlServer.SqlServerStorageProvider"),
        _ => throw new InvalidOperationException(
            $"Jobs:Database:Provider '{database.Provider}' is not supported: use Sqlite, PostgreSql or SqlServer."),
    };

    internal static StorageProvider Create(DatabaseOptions database, string package, string typeName)
    {
        var type = Type.GetType($"{typeName}, {package}", throwOnError: false)
            ?? throw new InvalidOperationException(
                $"Jobs:Database:Provider is {database.Provider}, but the package {package} is not referenced by this app. " +
                $"Add it (dotnet add package {package}) and keep the same configuration.");
        try
        {
            return (StorageProvider)Activator.CreateInstance(type, database)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // The provider's own error (a connection string it cannot parse, say) is the one to show, not the reflection wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
