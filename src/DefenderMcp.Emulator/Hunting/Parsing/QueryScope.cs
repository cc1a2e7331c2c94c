using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>What names resolve to while a query is compiled: tables, <c>let</c> values and the clock.</summary>
internal sealed class QueryScope(IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime windowEndUtc, DateTime nowUtc, int maxBuildRows = HuntingEngine.MaxJoinBuildRows, Func<string, FileProfileFacts?>? fileProfiles = null)
{
    private IpAssignments? ipAssignments;

    /// <summary>Looks a file up for <c>invoke FileProfile()</c>; null when the caller gave no file facts (every file is then Missing).</summary>
    public Func<string, FileProfileFacts?>? FileProfiles { get; } = fileProfiles;

    /// <summary>The IP assignments of the DeviceNetworkInfo reports (whole table, not the time window), read once per query.</summary>
    public IpAssignments IpAssignments => ipAssignments ??= IpAssignments.From(tables.GetValueOrDefault("DeviceNetworkInfo"));

    /// <summary>The most rows a join or lookup holds in memory for its build side.</summary>
    public int MaxBuildRows { get; } = maxBuildRows;

    /// <summary>The names of the tables (not the <c>let</c> values), for wildcards such as <c>union Device*</c>.</summary>
    public IEnumerable<string> TableNames => tables.Keys;

    /// <summary>The query's <c>now()</c>.</summary>
    public DateTime Now { get; } = nowUtc;

    /// <summary>Scalar <c>let</c> values (always constants).</summary>
    public Dictionary<string, Scalar> Scalars { get; } = new(StringComparer.Ordinal);

    /// <summary>Tabular <c>let</c> values.</summary>
    public Dictionary<string, TabularSource> Tabulars { get; } = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is a table or a tabular <c>let</c>.</summary>
    public bool IsTabular(string name) => Tabulars.ContainsKey(name) || tables.ContainsKey(name);

    /// <summary>The rows of a table or tabular <c>let</c>; tables are limited to the time window when they have a Timestamp.</summary>
    public TabularSource? Source(string name)
    {
        if (Tabulars.TryGetValue(name, out var bound))
        {
            return bound;
        }

        if (!tables.TryGetValue(name, out var table))
        {
            return null;
        }

        var schema = new RowSchema(table.Columns);
        var timestamp = schema.IndexOf("Timestamp");
        if (timestamp < 0 || schema[timestamp].Type != "datetime")
        {
            return new TabularSource(schema, () => All(table.Rows));
        }

        var (start, end) = (windowStartUtc, windowEndUtc);
        return new TabularSource(schema, () => Window(table.Rows, timestamp, start, end));
    }

    private static IEnumerable<object?[]> All(List<object?[]> rows)
    {
        // Index loop: tolerates rows appended while a query runs.
        for (var i = 0; i < rows.Count; i++)
        {
            yield return rows[i];
        }
    }

    private static IEnumerable<object?[]> Window(List<object?[]> rows, int timestamp, DateTime start, DateTime end)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row[timestamp] is DateTime t && t >= start && t <= end)
            {
                yield return row;
            }
        }
    }
}
