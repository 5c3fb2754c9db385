using System.Globalization;

namespace Jobs.Storage.Sql;

/// <summary>Sorts a batch of compare-and-swaps by shape: updates with the same SET list (and, where asked, the same number
/// of events) can be one statement over many rows, their values as one row each. A batch of successes is one shape.</summary>
internal static class UpdateShapes
{
    /// <summary>An update with its SET list, that list's values (<c>@s0</c>, <c>@s1</c>…) and its place in the batch.</summary>
    public readonly record struct Shaped(int Index, JobUpdate Update, string SetList, List<KeyValuePair<string, object?>> Values);

    /// <summary>Groups of two or more updates of distinct jobs that share a shape; the rest (deletes, shapes met once, and
    /// where <paramref name="withEvents"/> updates without events) are written one statement each.</summary>
    public static (List<List<Shaped>> Groups, List<Shaped> Singles) Split(IReadOnlyList<JobUpdate> updates, StorageProvider provider, bool withEvents)
    {
        var byShape = new Dictionary<string, List<Shaped>>(StringComparer.Ordinal);
        var singles = new List<Shaped>();
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            if (update.Change.Deletes || (withEvents && update.Events.Count == 0))
            {
                singles.Add(new Shaped(i, update, "", []));
                continue;
            }

            var values = new List<KeyValuePair<string, object?>>();
            var set = ChangeSql.SetList(update.Change, provider, values);
            var key = withEvents ? set + "|" + update.Events.Count.ToString(CultureInfo.InvariantCulture) : set;
            if (!byShape.TryGetValue(key, out var list))
            {
                byShape[key] = list = [];
            }

            list.Add(new Shaped(i, update, set, values));
        }

        var groups = new List<List<Shaped>>();
        foreach (var list in byShape.Values)
        {
            if (list.Count >= 2 && list.Select(s => s.Update.JobId).Distinct().Count() == list.Count)
            {
                groups.Add(list);
            }
            else
            {
                singles.AddRange(list);
            }
        }

        return (groups, singles);
    }

    /// <summary>The group's SET list (with the version bump) reading value K of each row as <paramref name="column"/>(K).</summary>
    public static string Set(List<Shaped> group, StorageProvider provider, Func<int, string> column)
    {
        var first = group[0];
        var set = first.SetList;
        // Descending, so that @s1 is not taken for the start of @s10.
        for (var p = first.Values.Count - 1; p >= 0; p--)
        {
            set = set.Replace(first.Values[p].Key, column(p), StringComparison.Ordinal);
        }

        return provider.BumpVersion.Length > 0 ? set + ", " + provider.BumpVersion : set;
    }
}
