using System.Globalization;
using System.Text.Json;

namespace Jobs.Benchmarks;

/// <summary>Draws drain throughput against workers (one process) for every results file given, with each database's raw-SQL ceiling at the same batch sizes.</summary>
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
                drains.Select(r => Math.Log2(r["workers"].GetInt32())).ToArray(),
                drains.Select(r => r["drain_per_s"].GetDouble()).ToArray());
            line.LegendText = $"{provider}: Jobs drain (1 process)";
            line.Color = color;
            var ceilings = rows.Where(r => r["scenario"].GetString() == "ceiling").OrderBy(r => r["workers"].GetInt32()).ToList();
            if (ceilings.Count > 0)
            {
                var limit = plot.Add.Scatter(
                    ceilings.Select(r => Math.Log2(r["workers"].GetInt32())).ToArray(),
                    ceilings.Select(r => r["ceiling_jobs_per_s"].GetDouble()).ToArray());
                limit.LegendText = string.Create(CultureInfo.InvariantCulture, $"{provider}: raw-SQL ceiling, same jobs in flight");
                limit.Color = color;
                limit.LinePattern = ScottPlot.LinePattern.Dashed;
            }
        }

        plot.Axes.Bottom.Label.Text = "workers";
        plot.Axes.Left.Label.Text = "jobs per second";
        plot.Title("Drain throughput against a raw-SQL queue on the same database");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 2, 4, 6], ["1", "4", "16", "64"]); // Workers on a log scale.
        // Upper left: above the curves at few workers, below the ceilings' climb.
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(pngPath, 900, 520);
    }
}
