using System.CommandLine;
using System.Text.Json;
using DefenderMcp.Emulator;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp emulator [--port N] [--tenants N] [--json]</c>: run the Defender emulator alone.</summary>
public static class EmulatorCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0 = a free port).", DefaultValueFactory = _ => 0 };
        var certPem = new Option<string?>("--cert-pem") { Description = "Where to write the TLS certificate PEM, to pin in clients." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder for the TLS and demo app certificates (default: a new temp folder)." };
        var tenants = new Option<int>("--tenants") { Description = "How many tenants to serve (contoso and fabrikam carry the story; the rest are tenant3, tenant4, ...). 1 to 500.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line (base URL, certificate PEM, tenants) instead of text, for scripts." };
        var command = new Command("emulator", "Run the local Defender emulator (Entra token endpoint, Graph security, MDE API) on loopback HTTPS.");
        command.Options.Add(port);
        command.Options.Add(certPem);
        command.Options.Add(dataDir);
        command.Options.Add(tenants);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                await Console.Error.WriteLineAsync("defender-mcp emulator: --port must be 0 to 65535.").ConfigureAwait(false);
                return 2;
            }

            var count = parse.GetValue(tenants);
            if (count is < 1 or > 500)
            {
                await Console.Error.WriteLineAsync("defender-mcp emulator: --tenants must be 1 to 500.").ConfigureAwait(false);
                return 2;
            }

            string[] story = ["contoso", "fabrikam"];
            var keys = story.Take(count).Concat(Enumerable.Range(3, Math.Max(0, count - 2)).Select(i => $"tenant{i}")).ToList();
            DefenderEmulator started;
            try
            {
                started = await DefenderEmulator.StartAsync(
                    new EmulatorOptions { Port = portValue, CertificatePemPath = parse.GetValue(certPem), DataDirectory = parse.GetValue(dataDir), TenantKeys = keys },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                // The port is the user's choice: say which and what to do, not the socket's stack trace.
                await Console.Error.WriteLineAsync(ex.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.AddressAlreadyInUse => $"defender-mcp emulator: port {portValue} is in use by another process; choose another --port, or --port 0 for a free one.",
                    System.Net.Sockets.SocketError.AccessDenied => $"defender-mcp emulator: this user may not listen on port {portValue}; use a port above 1023, or --port 0 for a free one.",
                    _ => $"defender-mcp emulator: cannot listen on 127.0.0.1:{portValue} ({ex.SocketErrorCode}); try --port 0.",
                }).ConfigureAwait(false);
                return 2;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A data folder that is a file, a PEM path in a folder that does not exist, a folder this user cannot write.
                await Console.Error.WriteLineAsync($"defender-mcp emulator: cannot write its files: {ex.Message} Check --data-dir and --cert-pem.").ConfigureAwait(false);
                return 2;
            }

            await using var emulator = started;
            if (parse.GetValue(json))
            {
                // No secret on the line: the demo app secrets and passphrases are in docs/emulator.md.
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    base_url = emulator.BaseUri.AbsoluteUri,
                    certificate_pem = emulator.CertificatePemPath,
                    tenants = emulator.Tenants.Select(t => new { key = t.Key, tenant_id = t.TenantId, client_id = t.App.ClientId, certificate_pfx = t.App.CertificatePfxPath }),
                }));
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                return await WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            Console.WriteLine($"Defender emulator listening on {emulator.BaseUri}");
            Console.WriteLine($"TLS certificate (pin it with curl --cacert): {emulator.CertificatePemPath}");
            foreach (var tenant in emulator.Tenants)
            {
                Console.WriteLine($"tenant {tenant.Key}: tenant_id={tenant.TenantId} client_id={tenant.App.ClientId} cert={tenant.App.CertificatePfxPath}");
            }

            Console.WriteLine("Demo secrets are listed in docs/emulator.md. Press Ctrl+C to stop.");
            return await WaitAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        // SIGTERM (docker stop, systemd, kill) and SIGINT (Ctrl+C, or kill -INT from a script, which reaches a process
        // without a terminal only through its own registration) stop it alike: the emulator is disposed, exit code 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT or SIGTERM: stop quietly.
        }

        return 0;
    }
}
