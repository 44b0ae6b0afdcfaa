using System.Globalization;
using System.Security;
using System.Text;

namespace CreditBank.LoadGenerator.Report;

/// <summary>An SVG bar chart of ours ÷ baseline for every figure that has a baseline, with the target ratio marked.</summary>
public static class RatioChart
{
    private const int LabelWidth = 430;
    private const int BarWidth = 420;
    private const int Row = 26;

    public static string Svg(IReadOnlyList<Verdict> verdicts)
    {
        var rows = verdicts.Where(v => v.ChartRatio is { } r && double.IsFinite(r)).ToList();
        var scale = Math.Max(1.0, rows.Select(v => Math.Max(v.ChartRatio!.Value, v.ChartTarget ?? 0)).DefaultIfEmpty(1).Max() * 1.1);
        var height = 40 + rows.Count * Row + 30;
        var width = LabelWidth + BarWidth + 80;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="white"/>""");
        svg.AppendLine("""<text x="10" y="20" font-size="14" font-weight="bold">CreditBank ÷ raw baseline (same run); | marks the target ratio</text>""");
        for (var i = 0; i < rows.Count; i++)
        {
            var v = rows[i];
            var y = 40 + i * Row;
            var length = v.ChartRatio!.Value / scale * BarWidth;
            var colour = v.Met switch { true => "#2e7d32", false => "#c62828", null => "#607d8b" };
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth - 8}" y="{y + 15}" text-anchor="end">{SecurityElement.Escape(v.Figure)}</text>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{LabelWidth}" y="{y + 4}" width="{length:0.0}" height="{Row - 8}" fill="{colour}"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth + length + 4:0.0}" y="{y + 15}">{v.ChartRatio.Value:0.00}</text>""");
            if (v.ChartTarget is { } target)
            {
                var x = LabelWidth + target / scale * BarWidth;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{x:0.0}" y1="{y + 1}" x2="{x:0.0}" y2="{y + Row - 1}" stroke="black" stroke-width="2"/>""");
            }
        }

        var one = LabelWidth + 1 / scale * BarWidth;
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{one:0.0}" y1="34" x2="{one:0.0}" y2="{height - 24}" stroke="#999" stroke-dasharray="4 3"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{one:0.0}" y="{height - 10}" text-anchor="middle" fill="#555">1.0 = as fast as the baseline</text>""");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
