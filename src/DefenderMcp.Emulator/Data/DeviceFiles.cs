using System.Security.Cryptography;
using System.Text;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The files live response can collect from an emulated device: the attack story's dropped payload and LSASS dump on
/// the compromised laptop, the payload copied to the file server, a hosts file everywhere, and whatever PutFile
/// placed. Content is deterministic (SHA-256 in counter mode, the same on every runtime), and the payload's bytes are
/// the ones whose hashes the story's alerts, hunting rows and file pivots name (<see cref="DataGenerator.PayloadSha256"/>),
/// so a collected payload's hash leads back to the story.
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

    /// <summary>
    /// The dropped payload's bytes (a PE signature and deterministic filler, <see cref="DataGenerator.PayloadSize"/> long):
    /// their SHA-1 and SHA-256 are <see cref="DataGenerator.PayloadSha1"/> and <see cref="DataGenerator.PayloadSha256"/>.
    /// </summary>
    public static byte[] Payload() => Pseudo("MZ", DataGenerator.PayloadName, DataGenerator.PayloadSize);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    // Block i of the filler is SHA-256(seed || i): fixed by the seed alone, unlike System.Random's sequence.
    private static byte[] Pseudo(string magic, string seed, int size)
    {
        var bytes = new byte[size];
        var input = new byte[Encoding.UTF8.GetByteCount(seed) + sizeof(int)];
        Encoding.UTF8.GetBytes(seed, input);
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        for (var offset = 0; offset < size; offset += block.Length)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(input.Length - sizeof(int)), offset / block.Length);
            SHA256.HashData(input, block);
            block[..Math.Min(block.Length, size - offset)].CopyTo(bytes.AsSpan(offset));
        }

        Encoding.ASCII.GetBytes(magic).CopyTo(bytes, 0);
        bytes[magic.Length] = 0;
        return bytes;
    }
}
