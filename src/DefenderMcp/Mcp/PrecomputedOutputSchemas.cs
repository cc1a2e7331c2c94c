using System.Text.Json;

namespace DefenderMcp.Mcp;

/// <summary>
/// Every tool's output schema, kept in <c>Mcp/OutputSchemas.json</c> (embedded in the assembly) so that a start does not
/// build them by reflection: <see cref="OutputSchemas.Build"/> (the JSON schema exporter over every result record)
/// was the largest part of our own start-up. Chosen over a source generator (a second project and its build
/// ordering for the same result) and over building them lazily (the first tools/list needs all of them anyway).
/// The copies cannot go stale unnoticed: PrecomputedOutputSchemaTests builds every catalog tool's schema by
/// reflection and fails when the file differs in any byte (a changed result record, a new tool, a removed one);
/// <c>DEFENDER_MCP_UPDATE_GOLDEN=1</c> rewrites the file, as for the other golden files. A type the file does not
/// know is built by reflection at run time, so a missing entry is slow, never wrong.
/// </summary>
public static class PrecomputedOutputSchemas
{
    /// <summary>The name of the embedded file.</summary>
    public const string ResourceName = "DefenderMcp.OutputSchemas.json";

    // Lives as long as the process: the tools hold its elements as their output schemas.
    private static readonly JsonDocument? Document = Load();

    /// <summary>The file's key for a result type with or without the fan-out envelope.</summary>
    public static string Key(Type resultType, bool fanOut)
    {
        ArgumentNullException.ThrowIfNull(resultType);
        return fanOut ? resultType.FullName + " fan_out" : resultType.FullName!;
    }

    /// <summary>The precomputed schema, when the file has one for this type and envelope.</summary>
    public static bool TryGet(Type resultType, bool fanOut, out JsonElement schema)
    {
        // A linear lookup over a few dozen names: cheaper at start than building a dictionary over JsonElement, a
        // generic instantiation the ReadyToRun image does not hold.
        schema = default;
        return Document is not null && Document.RootElement.TryGetProperty(Key(resultType, fanOut), out schema);
    }

    private static JsonDocument? Load()
    {
        using var stream = typeof(PrecomputedOutputSchemas).Assembly.GetManifestResourceStream(ResourceName);
        return stream is null ? null : JsonDocument.Parse(stream);
    }
}
