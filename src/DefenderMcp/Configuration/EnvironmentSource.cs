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
        var readable = File.Exists(path) && SecureFile.IsReadable(path);
        if (File.Exists(path) && !readable)
        {
            // A problem, not an exception: a service started in a folder holding someone else's .env says so and stops.
            problems.Add($".env in {workingDirectory}: this user ({Environment.UserName}) cannot read it; give this user read access, or start from another folder");
        }

        var dotEnv = readable
            ? DotEnvFile.Parse(File.ReadAllText(path), problems)
            : new Dictionary<string, string>();
        return new EnvironmentSource(Environment.GetEnvironmentVariable, dotEnv);
    }
}
