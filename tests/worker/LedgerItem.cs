namespace Jobs.TestWorker;

/// <summary>The payload of a ledger job: its number in the test's batch.</summary>
internal sealed record LedgerItem(int N);
