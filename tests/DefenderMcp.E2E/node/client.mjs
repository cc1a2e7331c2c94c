// Connects to an MCP server over stdio with the official TypeScript SDK, lists tools, calls one tool and prints
// a JSON summary. Exit codes: 0 ok, 1 connection/protocol error, 2 tool missing, 3 tool returned isError,
// 5 stdout pollution (a line on stdout that is not JSON-RPC; the SDK reports it through onerror and skips it).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const sep = process.argv.indexOf("--");
const opts = Object.fromEntries(process.argv.slice(2, sep).reduce((acc, v, i, a) => (i % 2 === 0 ? [...acc, [v.replace(/^--/, ""), a[i + 1]]] : acc), []));
const [command, ...args] = process.argv.slice(sep + 1);
let pollution = 0;
// A result can be larger than a pipe holds (64 KiB): exit only once stdout has taken all of it, or the rest is lost.
const printThenExit = (value, code) => process.stdout.write(JSON.stringify(value) + "\n", () => process.exit(code));
const transport = new StdioClientTransport({ command, args, stderr: "pipe" });
transport.stderr?.on("data", () => {});
const client = new Client({ name: "node-e2e", version: "1.0.0" });
client.onerror = (e) => { pollution++; process.stderr.write(`onerror: ${e?.message ?? e}\n`); };
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === opts.tool);
  if (!tool) {
    printThenExit({ error: "tool missing", tools: tools.map((t) => t.name) }, 2);
  } else {
    // The SDK validates structuredContent against the tool's outputSchema here.
    const result = await client.callTool({ name: opts.tool, arguments: JSON.parse(opts.args ?? "{}") });
    await client.close();
    printThenExit({ tools: tools.map((t) => t.name), result }, pollution > 0 ? 5 : result.isError ? 3 : 0);
  }
} catch (e) {
  process.stderr.write(`error: ${e?.stack ?? e}\n`);
  process.exit(1);
}
