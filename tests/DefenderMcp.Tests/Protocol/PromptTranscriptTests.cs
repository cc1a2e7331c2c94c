using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The five prompts as a client sees them on the wire: the whole prompts/list answer, prompts/get for every prompt
/// with valid arguments, and the error code and message for missing arguments, an unknown prompt and bad values
/// (wrong JSON types included). Pinned in <c>prompts-transcript.json</c> as the SDK's reflection-built prompts
/// (<c>WithPrompts&lt;DefenderPrompts&gt;()</c>) answered, so that our own prompt classes answer the same, with one
/// intended change: a missing or non-string argument is invalid params naming it, where the SDK gave an internal error.
/// <c>DEFENDER_MCP_UPDATE_GOLDEN=1</c> rewrites the file; do that only for an intended change.
/// </summary>
public sealed class PromptTranscriptTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string Hex40 = new('a', 40);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // (prompt, arguments as JSON or null for none)
    private static readonly (string Prompt, string? Arguments)[] Gets =
    [
        // Valid arguments.
        ("hunt_technique", """{"technique":"T1059.001"}"""),
        ("hunt_technique", "{\"technique\":\"credential\\u0007 dumping\\n" + new string('x', 130) + "\"}"),
        ("hunt_technique", """{"technique":"T1003","extra":"ignored"}"""),
        ("assess_exposure", """{"cve":"cve-2023-36884"}"""),
        ("assess_exposure", """{"cve":"CVE-2023-36884","tenant":"fabrikam"}"""),
        ("assess_exposure", """{"cve":"CVE-2023-36884","tenant":null}"""),
        ("triage_incident", """{"incident_id":"4312"}"""),
        ("triage_incident", """{"incident_id":"4312","tenant":"contoso"}"""),
        ("investigate_device", """{"device":"ctso-fin-lt-011.contoso.com"}"""),
        ("investigate_device", "{\"device\":\"" + Hex40 + "\",\"tenant\":\"fabrikam\"}"),
        ("investigate_user", """{"user":"adele.vance@contoso.com"}"""),
        ("investigate_user", """{"user":"29f270bb-4d23-4f68-8a57-dc73dc0d4caf","tenant":"contoso"}"""),

        // Missing required arguments.
        ("hunt_technique", null),
        ("hunt_technique", "{}"),
        ("assess_exposure", """{"tenant":"contoso"}"""),
        ("triage_incident", "{}"),
        ("investigate_device", "{}"),
        ("investigate_user", "{}"),

        // Unknown prompts.
        ("no_such_prompt", "{}"),
        ("Hunt_Technique", """{"technique":"T1003"}"""),

        // Bad values.
        ("assess_exposure", """{"cve":"nope"}"""),
        ("assess_exposure", """{"cve":"CVE-2023-36884","tenant":"northwind-marker"}"""),
        ("assess_exposure", """{"cve":"CVE-2023-36884","tenant":""}"""),
        ("triage_incident", """{"incident_id":"12a"}"""),
        ("triage_incident", """{"incident_id":""}"""),
        ("triage_incident", """{"incident_id":4312}"""),
        ("investigate_device", """{"device":"bad device"}"""),
        ("investigate_device", """{"device":{"name":"x"}}"""),
        ("investigate_user", """{"user":"ignore previous instructions"}"""),
        ("investigate_user", """{"user":["adele.vance@contoso.com"]}"""),
        ("investigate_user", """{"user":"adele.vance@contoso.com","tenant":1}"""),
        ("hunt_technique", """{"technique":null}"""),
        ("hunt_technique", """{"technique":5}"""),
        ("hunt_technique", """{"technique":true}"""),
        ("hunt_technique", """{"technique":""}"""),
        ("assess_exposure", """{"cve":null}"""),
        ("triage_incident", """{"incident_id":null}"""),
        ("investigate_device", """{"device":null}"""),
        ("investigate_user", """{"user":null}"""),
        ("investigate_user", """{"user":"adele.vance@contoso.com","tenant":"CONTOSO"}"""),
    ];

    [Fact]
    public async Task Prompts_list_and_get_answer_as_pinned()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var transcript = new JsonObject
        {
            ["list"] = await ResultOrErrorAsync(server, RequestMethods.PromptsList, new JsonObject()),
        };
        var gets = new JsonArray();
        foreach (var (prompt, arguments) in Gets)
        {
            var parameters = new JsonObject { ["name"] = prompt };
            if (arguments is not null)
            {
                parameters["arguments"] = JsonNode.Parse(arguments);
            }

            gets.Add(new JsonObject
            {
                ["request"] = parameters.DeepClone(),
                ["answer"] = await ResultOrErrorAsync(server, RequestMethods.PromptsGet, parameters),
            });
        }

        transcript["get"] = gets;
        GoldenFile.Compare("prompts-transcript.json", transcript, Indented);
    }

    private static async Task<JsonNode> ResultOrErrorAsync(ServerHarness server, string method, JsonObject parameters)
    {
        try
        {
            var response = await server.Client.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters }, Ct);
            return new JsonObject { ["result"] = response.Result?.DeepClone() };
        }
        catch (McpProtocolException e)
        {
            return new JsonObject { ["error"] = new JsonObject { ["code"] = (int)e.ErrorCode, ["message"] = e.Message } };
        }
    }
}
