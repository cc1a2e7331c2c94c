using System.Net;
using System.Net.Sockets;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Tries each <c>--urls</c> address before the host starts, so a port another process holds, a privileged port or an
/// address this machine does not have is one line naming the address and the fix, not the host's start-up stack trace.
/// </summary>
public static class ListenProbe
{
    /// <summary>One problem per address that cannot be bound now (port 0 picks a free port and is not probed).</summary>
    public static IReadOnlyList<string> Check(IEnumerable<ListenAddress> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var problems = new List<string>();
        foreach (var url in urls.Where(u => u.Port != 0))
        {
            var ip = url.Host is null ? IPAddress.Any
                : string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
                : IPAddress.Parse(url.Host);
            try
            {
                using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

                // As Kestrel binds: a port left in TIME_WAIT by a server just stopped is free, a listening one is not.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(ip, url.Port));
            }
            catch (SocketException ex)
            {
                problems.Add(ex.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => $"--urls {url}: the port is in use by another process; choose another port, or stop that process",
                    SocketError.AccessDenied => $"--urls {url}: this user may not listen on port {url.Port}; use a port above 1023 (a reverse proxy can serve 443)",
                    SocketError.AddressNotAvailable => $"--urls {url}: this machine has no such address; use one of its addresses, 127.0.0.1, or * for all",
                    _ => $"--urls {url}: cannot listen there ({ex.SocketErrorCode})",
                });
            }
        }

        return problems;
    }
}
