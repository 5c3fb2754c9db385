namespace Jobs.Dashboard.Live;

/// <summary>Where the feed is in the event table, and which ids below that it has not seen yet. Ids are handed out when an event
/// is inserted, not when it commits, so on databases with concurrent writers a lower id can appear after a higher one; the cursor
/// remembers such gaps for a while and lets the feed look for them again, so no event is published twice and none is lost.</summary>
internal sealed class EventCursor(long start, TimeSpan gapTimeout)
{
    private const int MaxGaps = 1000;
    private readonly SortedDictionary<long, DateTimeOffset> _gaps = [];

    /// <summary>The highest event id seen.</summary>
    public long High { get; private set; } = start;

    /// <summary>The cursor to re-read gaps from, or null when there are none.</summary>
    public long? GapCursor => _gaps.Count == 0 ? null : _gaps.Keys.First() - 1;

    /// <summary>Takes a batch read from the database and returns the events not seen before, in id order.</summary>
    public List<JobEvent> Accept(IEnumerable<JobEvent> batch, DateTimeOffset now)
    {
        var fresh = new List<JobEvent>();
        foreach (var e in batch.OrderBy(e => e.Id))
        {
            if (e.Id > High)
            {
                for (var missing = High + 1; missing < e.Id && _gaps.Count < MaxGaps; missing++)
                {
                    _gaps[missing] = now;
                }

                High = e.Id;
                fresh.Add(e);
            }
            else if (_gaps.Remove(e.Id))
            {
                fresh.Add(e);
            }
        }

        foreach (var expired in _gaps.Where(g => now - g.Value > gapTimeout).Select(g => g.Key).ToList())
        {
            _gaps.Remove(expired);
        }

        return fresh;
    }
}
