namespace DefenderMcp.Emulator.Data;

/// <summary>
/// What the per-area row builders (<see cref="TvmRows"/>, <see cref="IdentityRows"/>, <see cref="CloudRows"/>,
/// <see cref="CollaborationRows"/>) share: the tenant's names, devices and story, the clock, a seeded random of their
/// own (so the older tables keep their rows) and where a row goes.
/// </summary>
/// <param name="Names">The tenant's names.</param>
/// <param name="Devices">The tenant's devices.</param>
/// <param name="Story">The tenant's attack story.</param>
/// <param name="Now">The generation time; every row is at or before it.</param>
/// <param name="Random">The seeded random of these builders.</param>
/// <param name="Add">Adds a row to a table: values by column name, the others get the column's empty value.</param>
public sealed record HuntingRowContext(StoryNames Names, IReadOnlyList<Device> Devices, Story Story, DateTime Now, Random Random, Action<string, Dictionary<string, object?>> Add)
{
    /// <summary>The office's public address (sign-ins and cloud activity from the corporate network).</summary>
    public string OfficeIp => "198.51.100.7";

    /// <summary>The workstations.</summary>
    public IEnumerable<Device> Workstations => Devices.Where(d => d.Kind == "Workstation");

    /// <summary>A time in the 30 days before <see cref="Now"/>.</summary>
    public DateTime Recent() => Now.AddSeconds(-Random.Next(60, 30 * 24 * 3600));

    /// <summary>A user's UPN.</summary>
    public string Upn(string user) => $"{user}@{Names.Domain}";

    /// <summary>A user's Entra object id (the one IdentityInfo and CloudAppEvents use).</summary>
    public string ObjectId(string user) => DataGenerator.Guid(user + Names.Domain);

    /// <summary>A user's display name: "adele.vance" → "Adele Vance".</summary>
    public static string DisplayName(string user) =>
        string.Join(' ', user.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>The user of a workstation (DeviceInfo's LoggedOnUsers): the phished user on the victim, a stable pick elsewhere.</summary>
    public string OwnerOf(Device device) => OwnerOf(Names, Story, device);

    /// <summary>The user of a workstation, as <see cref="OwnerOf(Device)"/>; a hash of the name, stable across processes.</summary>
    public static string OwnerOf(StoryNames names, Story story, Device device) =>
        device == story.Victim ? story.User : names.Users[(int)((uint)DataGenerator.Seed(device.Name) % (uint)names.Users.Count)];
}
