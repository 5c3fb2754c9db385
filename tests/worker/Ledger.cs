using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jobs.TestWorker;

/// <summary>Records each attempt a handler runs as a row (job id, attempt, process) in the test's <c>ledger</c> table,
/// in the jobs database itself.</summary>
internal sealed class Ledger(string provider, string connectionString, string process)
{
    // Long enough to ride out the tests' database outage; the job is retried anyway if it is not.
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    public async Task RecordAsync(long jobId, int attempt, int n, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        while (true)
        {
            try
            {
                await using var connection = Open();
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO ledger (job_id, attempt, process, n) VALUES (@j, @a, @p, @n)";
                Add(command, "@j", jobId);
                Add(command, "@a", attempt);
                Add(command, "@p", process);
                Add(command, "@n", n);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (DbException) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private DbConnection Open() => provider == "postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
