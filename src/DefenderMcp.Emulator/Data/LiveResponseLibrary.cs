using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// A tenant's live-response library (defender-api §3.8): file bytes and sha256 by file name, seeded with a few
/// starter scripts whose runs print realistic output.
/// </summary>
public sealed class LiveResponseLibrary
{
    /// <summary>The documented upload cap.</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    private readonly Dictionary<string, LibraryEntry> _files = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A library with the starter scripts.</summary>
    public LiveResponseLibrary(DateTime now)
    {
        foreach (var (name, description, parameters) in StarterScripts)
        {
            Put(name, Encoding.UTF8.GetBytes($"# {description}\nparam([string]$Target)\n"), description, parameters is not null, parameters, "soc-admin@emulator", now);
        }
    }

    /// <summary>The starter scripts: name, description, parameters description (null when it takes none).</summary>
    public static IReadOnlyList<(string Name, string Description, string? Parameters)> StarterScripts { get; } =
    [
        ("collect-triage.ps1", "Collects running processes, network connections and autoruns for triage.", null),
        ("list-processes.ps1", "Lists running processes with their command lines.", null),
        ("list-services.ps1", "Lists every service with its state, start mode and binary path.", null),
        ("minidump.ps1", "Writes a zipped memory dump of a process to C:\\Windows\\Temp.", "Process name, e.g. OfficeClickToRun"),
    ];

    /// <summary>Every file, by name.</summary>
    public IReadOnlyList<LibraryEntry> All => [.. _files.Values.OrderBy(f => f.FileName, StringComparer.OrdinalIgnoreCase)];

    /// <summary>A file by name, or null.</summary>
    public LibraryEntry? Find(string name) => _files.GetValueOrDefault(name);

    /// <summary>Adds or replaces a file.</summary>
    public LibraryEntry Put(string name, byte[] content, string? description, bool hasParameters, string? parametersDescription, string createdBy, DateTime now)
    {
        var created = _files.TryGetValue(name, out var existing) ? existing.CreationTime : now;
        var entry = new LibraryEntry(name, content, Convert.ToHexStringLower(SHA256.HashData(content)), description, hasParameters, parametersDescription, createdBy, created, now);
        _files[name] = entry;
        return entry;
    }

    /// <summary>Removes a file; false when it is not there.</summary>
    public bool Remove(string name) => _files.Remove(name);

    /// <summary>The documented entity of a file.</summary>
    public static JsonObject ToJson(LibraryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = new JsonObject
        {
            ["fileName"] = entry.FileName,
            ["sha256"] = entry.Sha256,
            ["description"] = entry.Description,
            ["creationTime"] = entry.CreationTime.ToString("o", CultureInfo.InvariantCulture),
            ["lastUpdatedTime"] = entry.LastUpdatedTime.ToString("o", CultureInfo.InvariantCulture),
            ["createdBy"] = entry.CreatedBy,
            ["hasParameters"] = entry.HasParameters,
        };
        if (entry.HasParameters)
        {
            json["parametersDescription"] = entry.ParametersDescription;
        }

        return json;
    }
}
