namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// <c>render</c> <i>visualization</i> [<c>with (</c> <i>property</i> <c>=</c> <i>value</i>, ... <c>)</c>]: KQL's render
/// "doesn't modify data", it only annotates the result for a user agent to draw, and the hunting API returns only the
/// rows, so it is read and dropped. As in KQL it must be the last operator.
/// </summary>
internal static class RenderParser
{
    private static readonly HashSet<string> Visualizations = new(StringComparer.Ordinal)
    {
        "anomalychart", "areachart", "barchart", "card", "columnchart", "ladderchart", "linechart", "piechart", "pivotchart",
        "scatterchart", "stackedareachart", "table", "timechart", "timepivot", "treemap",
    };

    /// <summary>Reads the operator after <c>render</c>; throws unless it ends the tabular expression.</summary>
    public static void Skip(TokenReader reader)
    {
        var visualization = reader.Peek;
        var name = reader.ExpectName("a visualization after 'render'");
        if (!Visualizations.Contains(name))
        {
            throw TokenReader.ErrorAt(visualization, $"unknown visualization '{name}' (one of {string.Join(", ", Visualizations)})");
        }

        if (reader.Accept("with"))
        {
            reader.Expect("(");
            for (var depth = 1; depth > 0;)
            {
                var token = reader.Next();
                depth += TokenReader.Matches(token, "(") ? 1 : TokenReader.Matches(token, ")") ? -1 : 0;
            }
        }

        if (reader.IsNext("|"))
        {
            throw reader.Error("'render' must be the last operator");
        }
    }
}
