using System.Globalization;
using System.Text.Json;

namespace DefenderMcp.Client.Parsing;

/// <summary>Maps live-response commands, script transcripts and library files, tolerating missing and unknown members.</summary>
public static class LiveResponseReader
{
    /// <summary>The <c>commands</c> of a live-response machine action (empty for other actions).</summary>
    public static IReadOnlyList<LiveResponseCommandState> ReadCommands(MachineAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return [.. ModelReader.Objects(action.Raw, "commands").Select((c, i) => ReadCommand(c, i))];
    }

    /// <summary>A library file.</summary>
    public static LibraryFile ReadLibraryFile(JsonElement e) => new(
        ModelReader.Str(e, "fileName") ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a library file without a name."),
        ModelReader.Str(e, "sha256"),
        ModelReader.Str(e, "description"),
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("hasParameters", out var p) && p.ValueKind == JsonValueKind.True,
        ModelReader.Str(e, "parametersDescription"),
        ModelReader.Str(e, "createdBy"),
        Date(e, "lastUpdatedTime"));

    /// <summary>A RunScript transcript: <c>{script_name, exit_code, script_output, script_errors}</c>.</summary>
    public static LiveResponseScriptResult ReadScriptResult(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var e = doc.RootElement;
            int? exit = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("exit_code", out var x) && x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var n) ? n : null;
            return new(ModelReader.Str(e, "script_name"), exit, ModelReader.Str(e, "script_output") ?? string.Empty, ModelReader.Str(e, "script_errors") ?? string.Empty);
        }
        catch (JsonException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The script result was not the documented JSON transcript.", inner: ex);
        }
    }

    private static LiveResponseCommandState ReadCommand(JsonElement c, int position)
    {
        var command = c.TryGetProperty("command", out var inner) ? inner : default;
        var target = ModelReader.Objects(command, "params")
            .Where(p => ModelReader.Str(p, "key") is "ScriptName" or "FileName" or "Path")
            .Select(p => ModelReader.Str(p, "value"))
            .FirstOrDefault();
        var errors = c.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList()
            : [];
        var index = c.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var v) ? v : position;
        return new(index, ModelReader.Str(command, "type"), ModelReader.Str(c, "commandStatus"), target, errors, Date(c, "startTime"), Date(c, "endTime"));
    }

    private static DateTimeOffset? Date(JsonElement e, string name) =>
        ModelReader.Str(e, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
