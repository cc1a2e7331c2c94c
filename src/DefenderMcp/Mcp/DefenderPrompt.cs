using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// A prompt whose arguments are all strings and whose answer is one user message of text. The SDK's attribute-based
/// prompts build an <c>AIFunction</c> and a JSON schema of each method's parameters by reflection when the server is
/// constructed, a measurable part of our start-up; these declare their arguments as data and bind them as that
/// function would: a missing required argument, or a value that is not a JSON string or null, is an argument error
/// (the SDK answers "An error occurred."), a JSON null or an omitted optional argument reads as null, and arguments
/// the prompt does not declare are ignored. prompts/list, the get dispatch and "Unknown prompt" stay the SDK's.
/// </summary>
public sealed class DefenderPrompt : McpServerPrompt
{
    private readonly Prompt _prompt;
    private readonly Func<IReadOnlyDictionary<string, string?>, RequestContext<GetPromptRequestParams>, string> _render;

    /// <summary>
    /// Creates the prompt; <paramref name="render"/> gets every declared argument by name (null when omitted or JSON
    /// null) and answers with the message text, throwing <see cref="ModelContextProtocol.McpProtocolException"/> for
    /// a value it refuses.
    /// </summary>
    public DefenderPrompt(Prompt prompt, Func<IReadOnlyDictionary<string, string?>, RequestContext<GetPromptRequestParams>, string> render)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(render);
        _prompt = prompt;
        _render = render;
    }

    /// <inheritdoc />
    public override Prompt ProtocolPrompt => _prompt;

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var given = request.Params?.Arguments;
        var arguments = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var declared in _prompt.Arguments ?? [])
        {
            if (given is null || !given.TryGetValue(declared.Name, out var value))
            {
                arguments[declared.Name] = declared.Required == true
                    ? throw new McpProtocolException($"The prompt argument '{declared.Name}' is required.", McpErrorCode.InvalidParams)
                    : null;
                continue;
            }

            arguments[declared.Name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null => null,
                _ => throw new McpProtocolException($"The prompt argument '{declared.Name}' must be a string.", McpErrorCode.InvalidParams),
            };
        }

        return ValueTask.FromResult(new GetPromptResult
        {
            Description = _prompt.Description,
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = _render(arguments, request) } }],
        });
    }
}
