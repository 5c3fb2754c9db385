using Jobs.Storage;
using Jobs.Storage.Model;

namespace Jobs.Execution;

/// <summary>The pool's side of the completer. Each outcome posted frees its worker, and the completer holds that worker's
/// slot until the outcome is stored: it then claims the next jobs for the freed workers in the same transaction, and gives
/// back to the fetcher the slots it could not fill.</summary>
internal interface IWorkerSlots
{
    /// <summary>What to claim for <paramref name="freed"/> workers, or null when the pool is not claiming (stopping).</summary>
    ClaimRequest? RefillRequest(int freed);

    /// <summary>Called before a claim is sent: from now on winners may be in the database that the pool does not know yet.</summary>
    void Claiming();

    /// <summary>The claim sent after <see cref="Claiming"/> ended: <paramref name="claimed"/> (possibly empty) go to workers,
    /// the rest of the <paramref name="freed"/> slots go back to the fetcher. <paramref name="claimed"/> is null when the
    /// write failed: the slots stay with the completer, which retries. Returns the claimed jobs no worker will take any more
    /// (the pool began stopping meanwhile): the completer releases them, and their slots with them.</summary>
    IReadOnlyList<JobRecord> Claimed(int freed, IReadOnlyList<JobRecord>? claimed);

    /// <summary>Gives <paramref name="count"/> slots back to the fetcher.</summary>
    void Release(int count);
}
