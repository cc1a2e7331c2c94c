using System.Diagnostics;
using DefenderMcp.Client;
using DefenderMcp.Client.Parsing;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using ModelContextProtocol;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Follows a sent live-response action: polls it (with MCP progress notifications, as get_machine_action does) until
/// it is final or the wait runs out, then reads each finished script's transcript, clipped for the model.
/// </summary>
public static class LiveResponseFollower
{
    /// <summary>Characters of a script's output (and of its errors) returned inline; the rest pages by result_id (get_hunting_results) or through get_live_response_result.</summary>
    public const int InlineOutputChars = 4000;

    /// <summary>Largest script transcript read (its JSON, before clipping).</summary>
    public const long MaxTranscriptBytes = 8L * 1024 * 1024;

    /// <summary>Polls <paramref name="actionId"/> until final or <paramref name="wait"/> has passed.</summary>
    public static async Task<(MachineAction Action, bool Final, double Waited)> WaitAsync(ToolCall call, ToolServices services, DefenderClient client, string actionId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        var watch = Stopwatch.StartNew();
        var token = call.Request.Params?.ProgressToken;
        var step = 0;
        while (true)
        {
            var action = await client.GetMachineActionAsync(actionId, cancellationToken).ConfigureAwait(false);
            var final = MachineActionKind.IsFinal(action.Status);
            if (token is { } progressToken)
            {
                var done = LiveResponseReader.ReadCommands(action).Count(c => c.Status is "Completed" or "Failed");
                await call.Request.Server.NotifyProgressAsync(progressToken, new ProgressNotificationValue { Progress = ++step, Message = $"Live response is {action.Status}; {done} command(s) finished" }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (final || watch.Elapsed + services.Settings.ActionPollInterval > wait)
            {
                return (action, final, Math.Round(watch.Elapsed.TotalSeconds, 1));
            }

            await Task.Delay(services.Settings.ActionPollInterval, services.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each command's state, with the transcript of every completed script: clipped to <see cref="InlineOutputChars"/>
    /// here, and whole in the result cache under the command's <c>result_id</c> (<see cref="ScriptOutputCache"/>).
    /// </summary>
    public static async Task<IReadOnlyList<LiveResponseCommandResult>> CommandsAsync(ToolServices services, string tenant, DefenderClient client, MachineAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(action);
        var results = new List<LiveResponseCommandResult>();
        foreach (var command in LiveResponseReader.ReadCommands(action))
        {
            var errors = command.Errors.Select(e => Text.Clip(e, 500)!).Take(10).ToList();
            var basic = new LiveResponseCommandResult(command.Index, command.Type, Text.Clip(command.Target, 1024), command.Status, errors, null, null, null, null, false);
            if (command is { Type: "RunScript", Status: "Completed" })
            {
                var transcript = await client.GetLiveResponseScriptResultAsync(action.Id, command.Index, MaxTranscriptBytes, cancellationToken).ConfigureAwait(false);
                basic = WithTranscript(basic, transcript, 0, InlineOutputChars) with
                {
                    ResultId = await ScriptOutputCache.StoreAsync(services.ResultCache, tenant, action.Id, command.Index, command.Target, transcript, cancellationToken).ConfigureAwait(false),
                };
            }

            results.Add(basic);
        }

        return results;
    }

    /// <summary><paramref name="command"/> with the part of a transcript's output from <paramref name="offset"/>, at most <paramref name="limit"/> characters.</summary>
    public static LiveResponseCommandResult WithTranscript(LiveResponseCommandResult command, LiveResponseScriptResult transcript, int offset, int limit)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(transcript);
        var output = transcript.Output;
        var start = Math.Min(offset, output.Length);
        var length = Math.Min(limit, output.Length - start);
        var errors = transcript.Errors;
        // Only more output after this page (or clipped errors) is a truncation: the last page of a paged transcript is whole.
        var truncated = start + length < output.Length || errors.Length > InlineOutputChars;
        return command with
        {
            ExitCode = transcript.ExitCode,
            Output = output.Substring(start, length),
            ScriptErrors = errors.Length > InlineOutputChars ? errors[..InlineOutputChars] : errors,
            OutputChars = output.Length,
            Truncated = truncated,
        };
    }
}
