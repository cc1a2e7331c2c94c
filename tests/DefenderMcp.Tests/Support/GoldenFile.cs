using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Tests.Support;

/// <summary>
/// A JSON document pinned by a checked-in file beside the test that calls it: any difference fails, and
/// <c>DEFENDER_MCP_UPDATE_GOLDEN=1</c> rewrites the file (only for an intended change, named in a test).
/// </summary>
public static class GoldenFile
{
    /// <summary>True when the run rewrites golden files instead of comparing.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("DEFENDER_MCP_UPDATE_GOLDEN") == "1";

    /// <summary>Compares <paramref name="actual"/>, written with <paramref name="options"/>, with the file <paramref name="name"/> beside the calling test.</summary>
    public static void Compare(string name, JsonNode actual, JsonSerializerOptions options, [CallerFilePath] string source = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        var path = Path.Combine(Path.GetDirectoryName(source)!, name);
        var text = actual.ToJsonString(options) + "\n";
        if (Updating)
        {
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), $"golden file {name} is missing; run the test once with DEFENDER_MCP_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), text);
    }
}
