using System.Globalization;
using System.Text.Json;

namespace Jobs.Benchmarks;

/// <summary>Draws drain throughput against workers (one process) for every results file given, with each database's ceiling.</summary>
internal static class DrainChart
{
    public static void Write(IEnumerable<string> resultFiles, string pngPath)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var file in resultFiles)
        {
            var rows = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(File.ReadAllText(file))!;
            var provider = rows[0]["provider"].GetString();
            var drains = rows.Where(r => r["scenario"].GetString() == "drain" && r["processes"].GetInt32() == 1)
                .OrderBy(r => r["workers"].GetInt32()).ToList();
            var color = palette.GetColor(index++);
            var line = plot.Add.Scatter(
                drains.Select(r => (double)r["workers"].GetInt32()).ToArray(),
                drains.Select(r => r["drain_per_s"].GetDouble()).ToArray());
            line.LegendText = $"{provider}: Jobs drain (1 process)";
            line.Color = color;
            if (rows.FirstOrDefault(r => r["scenario"].GetString() == "ceiling") is { } ceiling)
            {
                var limit = plot.Add.HorizontalLine(ceiling["ceiling_jobs_per_s"].GetDouble());
                limit.LegendText = string.Create(CultureInfo.InvariantCulture, $"{provider}: database ceiling (raw SQL)");
                limit.Color = color;
                limit.LinePattern = ScottPlot.LinePattern.Dashed;
            }
        }

        plot.Axes.Bottom.Label.Text = "workers";
        plot.Axes.Left.Label.Text = "jobs per second";
        plot.Title("Drain throughput against the database's own limit");
        // Lower right: below the curves, which climb with workers, and clear of the ceilings above them.
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(pngPath, 900, 520);
    }
}
