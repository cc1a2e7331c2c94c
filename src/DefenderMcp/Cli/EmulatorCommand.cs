using System.CommandLine;
using DefenderMcp.Emulator;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp emulator --port N</c>: run the Defender emulator alone.</summary>
public static class EmulatorCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0 = a free port).", DefaultValueFactory = _ => 0 };
        var certPem = new Option<string?>("--cert-pem") { Description = "Where to write the TLS certificate PEM, to pin in clients." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder for the TLS and demo app certificates (default: a new temp folder)." };
        var command = new Command("emulator", "Run the local Defender emulator (Entra token endpoint, Graph security, MDE API) on loopback HTTPS.");
        command.Options.Add(port);
        command.Options.Add(certPem);
        command.Options.Add(dataDir);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                await Console.Error.WriteLineAsync("defender-mcp emulator: --port must be 0 to 65535.").ConfigureAwait(false);
                return 2;
            }

            await using var emulator = await DefenderEmulator.StartAsync(
                new EmulatorOptions { Port = portValue, CertificatePemPath = parse.GetValue(certPem), DataDirectory = parse.GetValue(dataDir) },
                cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Defender emulator listening on {emulator.BaseUri}");
            Console.WriteLine($"TLS certificate (pin it with curl --cacert): {emulator.CertificatePemPath}");
            foreach (var tenant in emulator.Tenants)
            {
                Console.WriteLine($"tenant {tenant.Key}: tenant_id={tenant.TenantId} client_id={tenant.App.ClientId} cert={tenant.App.CertificatePfxPath}");
            }

            Console.WriteLine("Demo secrets are listed in docs/emulator.md. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop quietly.
            }

            return 0;
        });
        return command;
    }
}
