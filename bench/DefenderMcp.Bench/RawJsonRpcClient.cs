using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace DefenderMcp.Bench;

/// <summary>
/// A stdio MCP client with no SDK: JSON-RPC request lines written to a child process's stdin and the matching response
/// line read back from its stdout, with no parsing beyond finding the id. Timing a call with it leaves out what the
/// SDK client adds (its serialization, parsing, channels and awaits), so what remains is the pipes and the server.
/// Also a line echo through <c>cat</c>, the pipes and two process wake-ups with no server at all.
/// </summary>
internal sealed class RawJsonRpcClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _nextId = 1;

    private RawJsonRpcClient(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput.BaseStream;
    }

    /// <summary>The child process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the child process has used so far (user + system, from /proc; 10 ms ticks), in milliseconds.</summary>
    public double CpuMilliseconds
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * 10.0;
        }
    }

    /// <summary>Bytes of the last line read (the response, without its newline).</summary>
    public int LastLineBytes { get; private set; }

    /// <summary>Starts <c>dotnet dll</c> with exactly <paramref name="env"/> and completes the MCP handshake.</summary>
    public static async Task<RawJsonRpcClient> StartServerAsync(string dll, Dictionary<string, string?> env)
    {
        var client = Start("dotnet", [dll], env);
        var init = await client.RequestAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-bench","version":"1.0"}}""").ConfigureAwait(false);
        if (!init.Contains("\"serverInfo\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("initialize failed: " + init);
        }

        await client.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray()).ConfigureAwait(false);
        return client;
    }

    /// <summary>Starts <c>cat</c>, which writes each line back as it reads it.</summary>
    public static RawJsonRpcClient StartCat() => Start("cat", [], null);

    private static RawJsonRpcClient Start(string file, string[] args, Dictionary<string, string?>? env)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            info.Environment.Clear();
            foreach (var (key, value) in env)
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        // The server's logs and audit lines go to stderr: drained, never read.
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return new RawJsonRpcClient(process);
    }

    /// <summary>The request line for a <c>tools/call</c> of <paramref name="tool"/> with <paramref name="argumentsJson"/>, split around its id.</summary>
    public static (byte[] Prefix, byte[] Suffix) ToolCallTemplate(string tool, string argumentsJson) =>
        (Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"""), Encoding.UTF8.GetBytes(",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}}"));

    /// <summary>Sends one request built from <paramref name="template"/> and waits for its response line; fails on a tool error.</summary>
    public async Task CallAsync((byte[] Prefix, byte[] Suffix) template)
    {
        var id = _nextId++;
        var line = new byte[template.Prefix.Length + 20 + template.Suffix.Length + 1];
        template.Prefix.CopyTo(line, 0);
        Utf8Formatter.TryFormat(id, line.AsSpan(template.Prefix.Length), out var idBytes);
        template.Suffix.CopyTo(line, template.Prefix.Length + idBytes);
        var length = template.Prefix.Length + idBytes + template.Suffix.Length;
        line[length] = (byte)'\n';
        await _stdin.WriteAsync(line.AsMemory(0, length + 1)).ConfigureAwait(false);
        await _stdin.FlushAsync().ConfigureAwait(false);
        await ReadResponseAsync(id).ConfigureAwait(false);
    }

    /// <summary>A request with raw JSON params, returning the response line as text (for the handshake and checks).</summary>
    public async Task<string> RequestAsync(string method, string paramsJson)
    {
        var id = _nextId++;
        await WriteLineAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""")).ConfigureAwait(false);
        var (start, length) = await ReadResponseAsync(id).ConfigureAwait(false);
        return Encoding.UTF8.GetString(_buffer, start, length);
    }

    /// <summary>A <c>ping</c>: the JSON-RPC round trip with no tool behind it.</summary>
    public async Task PingAsync()
    {
        var id = _nextId++;
        await WriteLineAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}""")).ConfigureAwait(false);
        await ReadResponseAsync(id).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="line"/> (no newline) and reads one line back (for <c>cat</c>).</summary>
    public async Task EchoAsync(byte[] line)
    {
        // Read while writing: a line longer than the two pipes' buffers would otherwise block both processes.
        var read = ReadLineAsync();
        await WriteLineAsync(line).ConfigureAwait(false);
        var (_, length) = await read.ConfigureAwait(false);
        if (length != line.Length)
        {
            throw new InvalidOperationException($"cat returned {length} of {line.Length} bytes");
        }
    }

    private async Task WriteLineAsync(byte[] line)
    {
        var framed = new byte[line.Length + 1];
        line.CopyTo(framed, 0);
        framed[^1] = (byte)'\n';
        await _stdin.WriteAsync(framed).ConfigureAwait(false);
        await _stdin.FlushAsync().ConfigureAwait(false);
    }

    // Lines that are not this id's response (notifications, say) are skipped. The id is a number and the result's own
    // text is an escaped string, so "id":N followed by ',' or '}' is only the envelope's id.
    private async Task<(int Start, int Length)> ReadResponseAsync(long id)
    {
        var needle = Encoding.UTF8.GetBytes($"\"id\":{id}");
        while (true)
        {
            var (start, length) = await ReadLineAsync().ConfigureAwait(false);
            var span = _buffer.AsSpan(start, length);
            var at = span.IndexOf(needle);
            if (at >= 0 && at + needle.Length < span.Length && span[at + needle.Length] is (byte)',' or (byte)'}')
            {
                if (span.IndexOf("\"isError\":true"u8) >= 0 || span.IndexOf("\"error\":{\"code\":-"u8) >= 0)
                {
                    throw new InvalidOperationException("call failed: " + Encoding.UTF8.GetString(span[..Math.Min(span.Length, 2000)]));
                }

                return (start, length);
            }
        }
    }

    private async Task<(int Start, int Length)> ReadLineAsync()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var start = _start;
                _start = newline + 1;
                LastLineBytes = newline - start;
                return (start, newline - start);
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stdout.ReadAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the process closed its stdout");
            }

            _end += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _stdin.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
