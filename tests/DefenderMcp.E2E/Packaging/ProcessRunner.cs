using System.Diagnostics;
using System.Text;

namespace DefenderMcp.E2E.Packaging;

/// <summary>Runs a command to completion with a deadline, capturing its output for assertion messages.</summary>
public static class ProcessRunner
{
    /// <summary>The exit code, standard output alone, and both streams interleaved (for assertion messages).</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string Output);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken, IDictionary<string, string?>? environment = null)
    {
        // Every stream its own: the test process's stdin and stdout are xunit's channel to its runner (-automated),
        // which a child must neither read from nor write into.
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, standardOutput.ToString(), output.ToString());
        }
    }
}
