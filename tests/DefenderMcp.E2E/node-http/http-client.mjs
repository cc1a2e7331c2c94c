// Drives DefenderMcp over Streamable HTTP with the official TypeScript SDK client: list tools, call a read tool,
// a write tool with elicitation accepted then declined, progress while waiting on the action, and cancellation of a
// slow call through an AbortSignal (the SDK sends notifications/cancelled). Prints one JSON summary on stdout.
// Usage: node http-client.mjs --url http://127.0.0.1:PORT/mcp --key KEY --device-prefix ctso-eng-ws
// Exit codes: 0 ok, 1 connection/protocol error.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const opts = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, a) => (i % 2 === 0 ? [...acc, [v.replace(/^--/, ""), a[i + 1]]] : acc), []));
const headers = opts.key ? { Authorization: `Bearer ${opts.key}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(opts.url), { requestInit: { headers } });
const client = new Client({ name: "node-http-e2e", version: "1.0.0" }, { capabilities: { elicitation: {} } });
const answers = [];
const elicitations = [];
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  elicitations.push(request.params.message);
  const action = answers.shift() ?? "decline";
  return action === "accept" ? { action, content: { confirm: true } } : { action };
});
const summary = {};
const structured = (r) => r.structuredContent ?? {};
try {
  await client.connect(transport);
  summary.sessionId = transport.sessionId ?? null;
  const { tools } = await client.listTools();
  summary.tools = tools.map((t) => t.name);

  const alerts = await client.callTool({ name: "list_alerts", arguments: { limit: 3 } });
  summary.alerts = structured(alerts).alerts?.length ?? -1;

  const devices = await client.callTool({ name: "list_devices", arguments: { name_prefix: opts["device-prefix"], limit: 1 } });
  const device = structured(devices).devices[0].name;

  answers.push("accept");
  const accepted = await client.callTool({ name: "run_antivirus_scan", arguments: { device, comment: "node http accept" } });
  summary.accepted = { isError: accepted.isError ?? false, status: structured(accepted).status ?? null, error: structured(accepted).error ?? null };
  const actionId = structured(accepted).action_id;

  answers.push("decline");
  const declined = await client.callTool({ name: "run_antivirus_scan", arguments: { device, comment: "node http decline" } });
  summary.declined = { isError: declined.isError ?? false, code: structured(declined).error?.code ?? null };
  summary.elicitations = elicitations.length;

  const progress = [];
  const waited = await client.callTool(
    { name: "get_machine_action", arguments: { action_id: actionId, wait_seconds: 30 } },
    undefined,
    { onprogress: (p) => progress.push(p.message ?? ""), timeout: 60000 });
  summary.progress = progress.length;
  summary.final = structured(waited).final ?? null;

  // The caller arranged a slow upstream for incident 4301; abort after 1.5 s.
  const started = Date.now();
  try {
    await client.callTool({ name: "get_incident", arguments: { incident_id: "4301" } }, undefined, { signal: AbortSignal.timeout(1500), timeout: 60000 });
    summary.cancel = "completed";
  } catch (e) {
    summary.cancel = e?.name === "AbortError" || /abort/i.test(String(e?.message ?? e)) || /timeout/i.test(String(e?.name)) ? "aborted" : `error: ${e?.message ?? e}`;
  }
  summary.cancelMs = Date.now() - started;

  await transport.terminateSession();
  await client.close();
  // Exit only once stdout has taken the whole summary (a pipe holds 64 KiB; process.exit drops what it has not).
  process.stdout.write(JSON.stringify(summary) + "\n", () => process.exit(0));
} catch (e) {
  process.stderr.write(`error: ${e?.stack ?? e}\n`);
  process.stdout.write(JSON.stringify(summary) + "\n", () => process.exit(1));
}
