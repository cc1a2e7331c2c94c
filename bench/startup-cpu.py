#!/usr/bin/env python3
"""CPU time of a server process from its start to its tools/list answer, over stdio (Linux only).

On a loaded machine the wall time of `DefenderMcp.Bench startup` mostly measures the scheduler; the CPU the process
itself used is far steadier, so before/after comparisons of start-up work show through. Each side is started the way
the bench's configured side is (one tenant with its PFX, the emulator's endpoints and TLS certificate); the script sends
initialize, notifications/initialized and tools/list, and at the answer sums the on-CPU time of every thread of the
process (/proc/<pid>/task/*/schedstat). Sides alternate; the first round is not counted.

usage: bench/startup-cpu.py ROUNDS LABEL=DLL[,ARG...] [LABEL=DLL[,ARG...] ...]
  e.g. bench/startup-cpu.py 20 bare=/tmp/r2r/bare/BareMcpServer.dll server=/tmp/r2r/server/DefenderMcp.dll
       bench/startup-cpu.py 20 configured=/tmp/r2r/server/DefenderMcp.dll demo=/tmp/r2r/server/DefenderMcp.dll,--demo
The emulator comes from the first DefenderMcp.dll given (`emulator --json`); it is only needed for its files.
Besides the sum over the threads alive at the answer, the table gives the main thread's own on-CPU time (the start's
critical path when other work runs beside it on other threads, e.g. --demo's emulator) and the whole process's CPU from
/proc/<pid>/stat (threads that already ended included; 10 ms ticks).
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def send(process, message):
    process.stdin.write((json.dumps(message) + "\n").encode())
    process.stdin.flush()


def answer(process, request_id):
    while True:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the server closed stdout before answering")
        message = json.loads(line)
        if message.get("id") == request_id:
            return message


def cpu_ms(pid):
    total = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                total += int(stat.read().split()[0]) / 1e6
        except OSError:
            pass  # a thread that ended meanwhile
    return total


def main_thread_ms(pid):
    with open(f"/proc/{pid}/task/{pid}/schedstat") as stat:
        return int(stat.read().split()[0]) / 1e6


def process_ms(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def start_to_tools_list(dll, args, env):
    started = time.perf_counter()
    # An empty working directory, as the bench uses: the bare server's default host builder watches it recursively.
    cwd = os.path.join(tempfile.gettempdir(), "defender-mcp-bench-cwd")
    os.makedirs(cwd, exist_ok=True)
    process = subprocess.Popen(["dotnet", dll, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    try:
        send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "startup-cpu", "version": "1"}}})
        answer(process, 1)
        send(process, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        send(process, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
        tools = answer(process, 2)["result"]["tools"]
        wall = (time.perf_counter() - started) * 1000
        cpu, main_cpu, process_cpu = cpu_ms(process.pid), main_thread_ms(process.pid), process_ms(process.pid)
        if not tools:
            raise RuntimeError(f"{dll} listed no tools")
        return cpu, wall, main_cpu, process_cpu
    finally:
        process.stdin.close()
        process.wait(30)


def main():
    rounds = int(sys.argv[1])
    sides = [(label, spec.split(",")[0], spec.split(",")[1:]) for label, spec in (arg.split("=", 1) for arg in sys.argv[2:])]
    server_dll = next(dll for _, dll, _ in sides if dll.endswith("DefenderMcp.dll"))
    with tempfile.TemporaryDirectory(prefix="startup-cpu-") as folder:
        emulator = subprocess.Popen(["dotnet", server_dll, "emulator", "--json", "--data-dir", folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            info = json.loads(emulator.stdout.readline())
        finally:
            emulator.send_signal(signal.SIGINT)
            try:
                emulator.wait(10)
            except subprocess.TimeoutExpired:
                emulator.kill()
                emulator.wait()
        tenant = info["tenants"][0]
        base = info["base_url"]
        # The emulator's demo credentials (DemoTenants): the passphrase and secret are fixed per tenant key.
        env = {k: os.environ[k] for k in ("PATH", "HOME", "DOTNET_ROOT", "TMPDIR") if k in os.environ}
        env.update({
            "AZURE_AUTHORITY_HOST": base, "GRAPH_API_BASE": base, "DEFENDER_API_BASE": base,
            "DEFENDER_TLS_TRUST_CERT": info["certificate_pem"], "DOTNET_gcServer": "0",
            "AZURE_TENANT_ID": tenant["tenant_id"], "AZURE_CLIENT_ID": tenant["client_id"],
            "AZURE_CERT_PATH": tenant["certificate_pfx"], "AZURE_CERT_PASSPHRASE": f"{tenant['key']}-demo-cert-passphrase",
            "BARE_BASE_URL": base, "BARE_TLS_CERT": info["certificate_pem"], "BARE_TENANT_ID": tenant["tenant_id"],
            "BARE_CLIENT_ID": tenant["client_id"], "BARE_CLIENT_SECRET": f"{tenant['key']}-app-demo-secret",
        })
        # As in the bench: BENCH_SERVER_DOTNET_X=v reaches the servers as DOTNET_X=v (e.g. an EventPipe trace).
        env.update({k[len("BENCH_SERVER_"):]: v for k, v in os.environ.items() if k.startswith("BENCH_SERVER_DOTNET_")})
        results = {label: ([], [], [], []) for label, _, _ in sides}
        for i in range(rounds + 1):
            for label, dll, args in sides:
                measured = start_to_tools_list(dll, args, env)
                if i > 0:
                    for column, value in zip(results[label], measured):
                        column.append(value)
    with open("/proc/loadavg") as load:
        average = load.read().split()[0]
    first = statistics.median(results[sides[0][0]][0])
    print(f"| side | CPU to tools/list, median (min) | ratio to {sides[0][0]} | wall median | main thread CPU, median | process CPU (/proc stat), median |")
    print("|---|---|---|---|---|---|")
    for label, (cpu, wall, main_cpu, process_cpu) in results.items():
        print(f"| {label} | {statistics.median(cpu):.0f} ms ({min(cpu):.0f}) | {statistics.median(cpu) / first:.2f}x | {statistics.median(wall):.0f} ms"
              f" | {statistics.median(main_cpu):.0f} ms | {statistics.median(process_cpu):.0f} ms |")
    print(f"\n{rounds} alternating rounds after one uncounted; load average {average} at the end.")


if __name__ == "__main__":
    main()
