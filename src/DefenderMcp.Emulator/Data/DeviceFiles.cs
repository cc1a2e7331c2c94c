using System.Text;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The files live response can collect from an emulated device: the attack story's dropped payload and LSASS dump on
/// the compromised laptop, the payload copied to the file server, a hosts file everywhere, and whatever PutFile
/// placed. Content is deterministic, so a test can compare the downloaded SHA-256 with <see cref="Content"/>.
/// </summary>
public static class DeviceFiles
{
    /// <summary>Where PutFile places library files (the live-response working folder).</summary>
    public const string WorkingFolder = @"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Downloads\";

    /// <summary>Size of the emulated LSASS dump (over small download caps on purpose).</summary>
    public const int DumpBytes = 3 * 1024 * 1024;

    /// <summary>The content of <paramref name="path"/> on the machine, or null when there is no such file.</summary>
    public static byte[]? Content(StoryDevice device, string path, string phishedUser)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(path);
        if (Same(path, @"C:\Windows\System32\drivers\etc\hosts"))
        {
            return Encoding.UTF8.GetBytes($"# Copyright (c) 1993-2009 Microsoft Corp.\r\n#\r\n# This is a sample HOSTS file used by Microsoft TCP/IP for Windows.\r\n#\r\n127.0.0.1       localhost\r\n::1             localhost\r\n# {device.Name}\r\n");
        }

        if (device.IsVictim && Same(path, $@"C:\Users\{phishedUser}\AppData\Local\Temp\{DataGenerator.PayloadName}"))
        {
            return Payload();
        }

        if (device.IsVictim && Same(path, @"C:\Users\Public\lsass.dmp"))
        {
            return Pseudo("MDMP", "lsass", DumpBytes);
        }

        return device.IsServer && Same(path, $@"C:\ProgramData\{DataGenerator.PayloadName}") ? Payload() : null;
    }

    /// <summary>The dropped payload's bytes (a PE header and deterministic filler).</summary>
    public static byte[] Payload() => Pseudo("MZ", DataGenerator.PayloadName, 48 * 1024);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static byte[] Pseudo(string magic, string seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed.Aggregate(17, (h, c) => unchecked((h * 31) + c))).NextBytes(bytes);
        Encoding.ASCII.GetBytes(magic).CopyTo(bytes, 0);
        bytes[magic.Length] = 0;
        return bytes;
    }
}
