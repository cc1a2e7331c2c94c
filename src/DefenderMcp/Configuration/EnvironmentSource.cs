namespace DefenderMcp.Configuration;

/// <summary>Looks up settings in the process environment first, then in a <c>.env</c> file.</summary>
public sealed class EnvironmentSource(Func<string, string?> processEnvironment, IReadOnlyDictionary<string, string> dotEnv)
{
    /// <summary>The trimmed value, or null when unset or blank.</summary>
    public string? Get(string name)
    {
        var value = processEnvironment(name);
        if (string.IsNullOrWhiteSpace(value) && !dotEnv.TryGetValue(name, out value))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A source over the real process environment and <c>.env</c> in <paramref name="workingDirectory"/>, if present.</summary>
    public static EnvironmentSource FromProcess(string workingDirectory, ICollection<string> problems)
    {
        var path = Path.Combine(workingDirectory, ".env");
        var dotEnv = File.Exists(path)
            ? DotEnvFile.Parse(File.ReadAllText(path), problems)
            : new Dictionary<string, string>();
        return new EnvironmentSource(Environment.GetEnvironmentVariable, dotEnv);
    }
}
