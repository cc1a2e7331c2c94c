using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>A generated device, and its MDE machine object.</summary>
public sealed class Device(string name, string os, string kind, string[] tags, string ip, string value)
{
    /// <summary>FQDN.</summary>
    public string Name { get; } = name;

    /// <summary>MDE machine id (40 hex characters, stable per name).</summary>
    public string Id { get; } = DataGenerator.Hex("machine:" + name, 20);

    /// <summary>osPlatform.</summary>
    public string Os { get; } = os;

    /// <summary>Server or Workstation.</summary>
    public string Kind { get; } = kind;

    /// <summary>machineTags.</summary>
    public string[] Tags { get; } = tags;

    /// <summary>Internal IP.</summary>
    public string Ip { get; } = ip;

    /// <summary>deviceValue.</summary>
    public string Value { get; } = value;

    /// <summary>The MDE machine object.</summary>
    public JsonObject Machine { get; set; } = [];
}
