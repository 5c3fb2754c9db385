namespace Jobs.E2E.Processes;

/// <summary>The payload of tests/worker's "ledger" job type.</summary>
public sealed record LedgerItem(int N);
