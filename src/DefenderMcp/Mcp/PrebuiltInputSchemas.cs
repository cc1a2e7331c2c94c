using System.Text.Json;

namespace DefenderMcp.Mcp;

/// <summary>
/// Tools' input schemas as tools/list advertises them, built ahead by the start's prefetch on another core
/// (<see cref="Hosting.StartupPrefetch"/>) so that the main thread, creating the tools, does not build them again.
/// Without a lock: each publication is a new array that is never changed, swapped in whole; a reader takes whichever
/// array is there and builds a schema it does not find itself, as it always did. A schema is found only for the very
/// definition it was built from (by reference, so a copy made with <c>with</c> is built anew), and a definition's
/// schema depends on nothing but its parameters, so a prebuilt schema is always the one the tool would have built.
/// </summary>
internal static class PrebuiltInputSchemas
{
    private static Prebuilt[]? s_published;

    /// <summary>
    /// The input schema of <paramref name="definition"/>, written and parsed back rather than serialized: the
    /// serializer's reflection resolver would otherwise be built at start for this alone.
    /// </summary>
    public static JsonElement Build(ToolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonElement.Parse(definition.InputSchema.ToJsonString());
    }

    /// <summary>The schema prebuilt for this very definition, if there is one yet.</summary>
    public static bool TryGet(ToolDefinition definition, out JsonElement schema)
    {
        // A linear search over a few dozen entries: no generic instantiation over JsonElement for the start to compile.
        foreach (var prebuilt in Volatile.Read(ref s_published) ?? [])
        {
            if (ReferenceEquals(prebuilt.Definition, definition))
            {
                schema = prebuilt.Schema;
                return true;
            }
        }

        schema = default;
        return false;
    }

    /// <summary>The prebuilt schema of <paramref name="definition"/>, else one built now.</summary>
    public static JsonElement For(ToolDefinition definition) => TryGet(definition, out var schema) ? schema : Build(definition);

    /// <summary>Builds the schemas of <paramref name="definitions"/> not built yet and publishes them beside the others.</summary>
    public static void Prebuild(IEnumerable<ToolDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var built = definitions.Where(d => !TryGet(d, out _)).Select(d => new Prebuilt(d, Build(d))).ToArray();
        while (true)
        {
            // Another writer (only tests have one) may publish in between: retry over its array rather than drop its work.
            var current = Volatile.Read(ref s_published);
            Prebuilt[] next = [.. current ?? [], .. built.Where(b => current is null || !Array.Exists(current, c => ReferenceEquals(c.Definition, b.Definition)))];
            if (ReferenceEquals(Interlocked.CompareExchange(ref s_published, next, current), current))
            {
                return;
            }
        }
    }

    private sealed record Prebuilt(ToolDefinition Definition, JsonElement Schema);
}
