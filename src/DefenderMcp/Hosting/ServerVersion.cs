using System.Reflection;

namespace DefenderMcp.Hosting;

/// <summary>The server's version, from its assembly.</summary>
public static class ServerVersion
{
    /// <summary>The informational version without build metadata.</summary>
    public static string Current { get; } =
        (typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
