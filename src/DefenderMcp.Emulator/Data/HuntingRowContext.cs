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

    /// <summary>The user of a device (DeviceInfo's LoggedOnUsers, and every workstation's own activity): see <see cref="OwnerOf(StoryNames, Story, Device)"/>.</summary>
    public string OwnerOf(Device device) => OwnerOf(Names, Story, device);

    /// <summary>
    /// The user of a device, as <see cref="OwnerOf(Device)"/>: the phished user has the victim laptop only, the other
    /// workstations go to the other users in turn (one or two each), and a server's last user is a hash of its name.
    /// </summary>
    public static string OwnerOf(StoryNames names, Story story, Device device)
    {
        if (device == story.Victim)
        {
            return story.User;
        }

        var index = IndexOf(story.OtherWorkstations, device);
        return index >= 0 && names.Users.Count > 1
            ? names.Users[1 + (index % (names.Users.Count - 1))]
            : names.Users[(int)((uint)DataGenerator.Seed(device.Name) % (uint)names.Users.Count)];
    }

    private static int IndexOf(IReadOnlyList<Device> list, Device device)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], device))
            {
                return i;
            }
        }

        return -1;
    }
}
