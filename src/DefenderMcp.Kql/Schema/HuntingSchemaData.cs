using System.Text.Json;

namespace DefenderMcp.Kql.Schema;

/// <summary>
/// Reads the embedded <c>hunting-schema.json</c>: the documented tables and functions, with where they come from.
/// Every column must carry one of <see cref="KnownTypes"/>, and no table may repeat a name: a malformed catalog
/// fails at first use, and the tests use it first.
/// </summary>
internal sealed record HuntingSchemaData(
    string Source,
    string SourceDate,
    IReadOnlyList<HuntingTableSchema> Tables,
    IReadOnlyList<HuntingFunctionSchema> Functions)
{
    private const string ResourceName = "DefenderMcp.Kql.Schema.hunting-schema.json";

    /// <summary>The KQL types a catalog column may have.</summary>
    public static IReadOnlySet<string> KnownTypes { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "datetime", "string", "long", "int", "bool", "real", "guid", "dynamic" };

    /// <summary>Loads and checks the embedded catalog.</summary>
    public static HuntingSchemaData Load()
    {
        using var stream = typeof(HuntingSchemaData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        return Parse(document.RootElement);
    }

    /// <summary>Parses and checks a catalog document (the shape of <c>hunting-schema.json</c>).</summary>
    public static HuntingSchemaData Parse(JsonElement root)
    {
        var tables = root.GetProperty("tables").EnumerateArray()
            .Select(t => new HuntingTableSchema(Text(t, "name"), Text(t, "purpose"), Columns(t, Text(t, "name")))
            {
                Note = t.TryGetProperty("note", out var note) ? note.GetString() : null,
            })
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var functions = root.GetProperty("functions").EnumerateArray()
            .Select(f => new HuntingFunctionSchema(
                Text(f, "name"), Text(f, "syntax"), Text(f, "purpose"), Columns(f, Text(f, "name")),
                f.TryGetProperty("passThrough", out var pass) && pass.GetBoolean()))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        Unique(tables.Select(t => t.Name), "table");
        Unique(functions.Select(f => f.Name), "function");
        return new HuntingSchemaData(Text(root, "source"), Text(root, "sourceDate"), tables, functions);
    }

    private static List<HuntingColumnSchema> Columns(JsonElement owner, string ownerName)
    {
        var columns = new List<HuntingColumnSchema>();
        foreach (var spec in owner.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty))
        {
            // "Name:type": the type is never implied, so an untyped column is a catalog error.
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? spec[..colon] : spec;
            var type = colon > 0 ? spec[(colon + 1)..] : string.Empty;
            if (!KnownTypes.Contains(type))
            {
                throw new InvalidOperationException($"Column {ownerName}.{name} has no known type ('{type}').");
            }

            columns.Add(new HuntingColumnSchema(name, type));
        }

        Unique(columns.Select(c => c.Name), $"column of {ownerName}");
        return columns;
    }

    private static void Unique(IEnumerable<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.Where(name => !seen.Add(name)))
        {
            throw new InvalidOperationException($"Duplicate {what}: {name}.");
        }
    }

    private static string Text(JsonElement element, string property) =>
        element.GetProperty(property).GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidOperationException($"The catalog's '{property}' is empty.");
}
