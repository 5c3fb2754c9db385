using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage;

internal sealed class SqliteStorageProvider : StorageProvider, IDisposable
{
    private readonly DbContextOptions<SqliteJobsDbContext> _options;

    public SqliteStorageProvider(DatabaseOptions database)
    {
        _options = new DbContextOptionsBuilder<SqliteJobsDbContext>()
            .UseSqlite(database.ConnectionString, s => s.CommandTimeout(database.CommandTimeoutSeconds))
            .AddInterceptors(new SqliteConnectionInterceptor(database.SqliteSynchronous, database.CommandTimeoutSeconds * 1000))
            .Options;
    }

    private readonly SemaphoreSlim _writer = new(1, 1);

    public override string Name => "sqlite";

    public override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_writer);
    }

    public override string BumpVersion => "version = version + 1";

    public void Dispose() => _writer.Dispose();

    public override JobsDbContext CreateContext() => new SqliteJobsDbContext(_options);

    public override string UpdateReturning(string table, string set, string where, string columns)
        => $"UPDATE {table} SET {set} WHERE {where} RETURNING {columns}";

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (the dashboard, other pools) work while one writer commits; the mode is stored in the file.
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
