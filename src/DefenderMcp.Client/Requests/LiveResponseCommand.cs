using System.Text.Json.Nodes;

namespace DefenderMcp.Client;

/// <summary>
/// One live-response command (defender-api §3.7): <c>PutFile</c>, <c>RunScript</c> or <c>GetFile</c> with its
/// <c>params</c>. Built only through the factories, which validate each value before anything is sent.
/// </summary>
public sealed class LiveResponseCommand
{
    /// <summary>Longest library file name the client sends.</summary>
    public const int MaxFileNameLength = 128;

    /// <summary>Longest device path the client sends.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Longest script argument string the client sends.</summary>
    public const int MaxArgsLength = 1024;

    private LiveResponseCommand(string type, IReadOnlyList<(string Key, string Value)> parameters)
    {
        Type = type;
        Parameters = parameters;
    }

    /// <summary>The command type as the API spells it.</summary>
    public string Type { get; }

    /// <summary>The <c>params</c> key/value pairs.</summary>
    public IReadOnlyList<(string Key, string Value)> Parameters { get; }

    /// <summary>Runs a library script, with an optional argument string.</summary>
    public static LiveResponseCommand RunScript(string scriptName, string? arguments = null)
    {
        var parameters = new List<(string, string)> { ("ScriptName", LibraryFileName(scriptName)) };
        if (arguments is not null)
        {
            parameters.Add(("Args", WriteValidation.Text(arguments, "script arguments", MaxArgsLength)));
        }

        return new("RunScript", parameters);
    }

    /// <summary>Collects a file from the device; its result link downloads it.</summary>
    public static LiveResponseCommand GetFile(string path) => new("GetFile", [("Path", DevicePath(path))]);

    /// <summary>Copies a library file to the device's working folder (no result).</summary>
    public static LiveResponseCommand PutFile(string fileName) => new("PutFile", [("FileName", LibraryFileName(fileName))]);

    /// <summary>A library file name: letters, digits, dot, dash, underscore and space; no path.</summary>
    public static string LibraryFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxFileNameLength || name.StartsWith('.') || name.Contains("..", StringComparison.Ordinal) ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ' '))
        {
            throw WriteValidation.Invalid($"A library file name is 1 to {MaxFileNameLength} letters, digits, '.', '-', '_' or spaces, without a path.");
        }

        return name;
    }

    /// <summary>An absolute device path (C:\... or /...), bounded, without control characters.</summary>
    public static string DevicePath(string? path)
    {
        var absolute = path is { Length: >= 3 } && ((char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] == '\\') || path[0] == '/');
        if (!absolute || path!.Length > MaxPathLength || path.Any(char.IsControl) || path.IndexOfAny(['*', '?', '"', '<', '>', '|']) >= 0)
        {
            throw WriteValidation.Invalid($"The path must be an absolute file path on the device (C:\\... or /...), at most {MaxPathLength} characters, without wildcards.");
        }

        return path;
    }

    /// <summary>The command as the request body carries it (lower-case keys).</summary>
    internal JsonObject ToJson() => new()
    {
        ["type"] = Type,
        ["params"] = new JsonArray([.. Parameters.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })]),
    };
}
